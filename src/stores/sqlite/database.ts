import { createRequire } from 'node:module'
import { messageOf, SessionConfigError, SessionStoreError } from '../../core/errors.js'

/** A value SQLite binds: both drivers take these (neither takes booleans or `undefined`). */
export type SQLiteValue = string | number | bigint | null

/**
 * A prepared statement, as both `node:sqlite`'s `StatementSync` and
 * better-sqlite3's `Statement` have it. The store binds only
 * {@link SQLiteValue}s; the parameters say `unknown` so that both drivers'
 * declared types fit.
 */
export interface SQLiteStatement {
  run(...values: unknown[]): { changes: number | bigint }
  get(...values: unknown[]): unknown
  all(...values: unknown[]): unknown[]
}

/**
 * What {@link SQLiteStore} needs from a database connection: the part that
 * `node:sqlite`'s `DatabaseSync` and better-sqlite3's `Database` have in
 * common. Either fits as it is; the store never closes a database it was given.
 */
export interface SQLiteDatabase {
  exec(sql: string): unknown
  prepare(sql: string): SQLiteStatement
}

/** A database the store opened itself, and closes on `close()`. */
export interface OwnedDatabase extends SQLiteDatabase {
  close(): unknown
}

type Opener = new (path: string) => OwnedDatabase

/**
 * The built-in driver where the runtime has it (Node 22.5+; 22.5–22.12 only
 * with `--experimental-sqlite`), else better-sqlite3, loaded only now: it is an
 * optional peer dependency, so nothing may import it up front.
 */
function driver(): Opener {
  const builtin = process.getBuiltinModule?.('node:sqlite') as { DatabaseSync?: Opener } | undefined
  if (builtin?.DatabaseSync) return builtin.DatabaseSync
  try {
    return createRequire(import.meta.url)('better-sqlite3') as Opener
  } catch (error) {
    throw new SessionConfigError(
      `SQLiteStore needs node:sqlite (Node 22.5+) or the better-sqlite3 package (npm install better-sqlite3@12): ${messageOf(error)}`,
      { cause: error },
    )
  }
}

/**
 * Opens (creating if missing) the database file at `path` and sets it up for
 * several processes: WAL (readers never wait for the writer),
 * `synchronous=NORMAL` (WAL commits need no fsync; a power cut loses at most
 * the last commits, never the file), and `busy_timeout`, how long a statement
 * waits for another process's write before it fails with SQLITE_BUSY.
 *
 * @throws {SessionStoreError} when the file cannot be opened or is not a database.
 */
export function openDatabase(store: string, path: string, busyTimeoutMs: number): OwnedDatabase {
  const Database = driver()
  let database: OwnedDatabase | undefined
  try {
    database = new Database(path)
    database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`)
    database.exec('PRAGMA journal_mode = WAL')
    database.exec('PRAGMA synchronous = NORMAL')
    return database
  } catch (error) {
    database?.close()
    throw new SessionStoreError(store, `cannot open ${path}: ${messageOf(error)}`, {
      cause: error,
    })
  }
}
