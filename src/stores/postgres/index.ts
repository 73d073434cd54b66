/**
 * The PostgreSQL store: `import { PostgresStore } from 'latchkey/stores/postgres'`.
 * @module
 */
export type { PostgresClient, PostgresQuery } from './client.js'
export { PostgresStore, type PostgresStoreOptions } from './postgres-store.js'
