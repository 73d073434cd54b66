/**
 * The SQLite store: `import { SQLiteStore } from 'latchkey/stores/sqlite'`.
 * @module
 */
export type { SQLiteDatabase, SQLiteStatement } from './database.js'
export {
  type SQLiteDatabaseOptions,
  type SQLitePathOptions,
  SQLiteStore,
  type SQLiteStoreOptions,
} from './sqlite-store.js'
