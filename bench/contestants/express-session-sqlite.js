// The SQLite peer: Express 5 + express-session + better-sqlite3-session-store
// on a fresh file in a temporary directory, given the same file settings as
// SQLiteStore (WAL, synchronous=NORMAL; its README sets neither, and the
// rollback journal would cost it an fsync per write). saveUninitialized and
// resave false, rolling false: a read writes nothing. It takes no lock: /inc
// is the plain read-modify-write its docs show.
import Database from 'better-sqlite3'
import SqliteStoreFactory from 'better-sqlite3-session-store'
import session from 'express-session'
import { expressSession } from '../lib/apps.js'
import { tempDatabase } from '../lib/temp-database.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-session-sqlite',
  label: 'express-session + better-sqlite3-session-store',
  baseline: 'express-bare',
  async create() {
    const client = new Database(tempDatabase('peer'))
    client.pragma('journal_mode = WAL')
    client.pragma('synchronous = NORMAL')
    const SqliteStore = SqliteStoreFactory(session)
    const store = new SqliteStore({ client, expired: { clear: true, intervalMs: 900_000 } })
    return expressSession(store, async () => client.close())
  },
}
