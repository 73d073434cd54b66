/**
 * The MySQL / MariaDB store: `import { MySQLStore } from 'latchkey/stores/mysql'`.
 * @module
 */
export type { MySQLClient, MySQLQuery } from './client.js'
export { MySQLStore, type MySQLStoreOptions } from './mysql-store.js'
