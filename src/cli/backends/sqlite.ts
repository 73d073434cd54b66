import { existsSync } from 'node:fs'
import { messageOf, SessionStoreError } from '../../core/errors.js'
import type { SQLiteDatabase } from '../../stores/sqlite/database.js'
import { SQLiteStore } from '../../stores/sqlite/sqlite-store.js'
import { loadClient } from '../load-client.js'
import type { FileLocation } from '../store-url.js'
import type { Backend, StoreNaming } from './backend.js'

/** A database connection that the CLI closes when done. */
type Connection = SQLiteDatabase & { close(): void }

type Opener = new (path: string, options?: object) => Connection

/** Milliseconds a statement waits for the application's writes to the file. */
const BUSY_TIMEOUT_MS = 5000

/** node:sqlite where the runtime has it (Node 22.5+), else the project's better-sqlite3. */
async function driver(): Promise<Opener> {
  const builtin = process.getBuiltinModule?.('node:sqlite') as { DatabaseSync?: Opener } | undefined
  if (builtin?.DatabaseSync) return builtin.DatabaseSync
  const { module } = await loadClient(
    ['better-sqlite3'],
    'A sqlite: URL on a Node without node:sqlite (before 22.5)',
  )
  return ((module as { default?: Opener }).default ?? module) as Opener
}

/**
 * A SQLiteStore on an existing database file: the CLI never creates one (a
 * mistyped path would otherwise give an empty store).
 */
export async function openSQLite(location: FileLocation, naming: StoreNaming): Promise<Backend> {
  if (!existsSync(location.path))
    throw new SessionStoreError('sqlite', `no SQLite database at ${location.path}`)
  const Database = await driver()
  let database: Connection
  try {
    database = new Database(location.path)
    database.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  } catch (error) {
    throw new SessionStoreError('sqlite', `cannot open ${location.path}: ${messageOf(error)}`, {
      cause: error,
    })
  }
  try {
    const store = new SQLiteStore({
      database,
      sweepInterval: 0,
      ...(naming.table === undefined ? {} : { table: naming.table }),
    })
    return {
      store,
      close: async () => {
        await store.close()
        database.close()
      },
    }
  } catch (error) {
    database.close()
    throw error
  }
}
