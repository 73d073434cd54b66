// latchkey's Fastify plugin with SQLiteStore on a fresh file in a temporary
// directory (better-sqlite3 on Node 20; node:sqlite on Node 22.5+). Same
// routes as latchkey-fastify-memory: /inc is a locked read-modify-write (the
// store's lease lock, two BEGIN IMMEDIATE transactions), /read reads without
// the lock.
import { SQLiteStore } from 'latchkey/stores/sqlite'
import { latchkeyFastify } from '../lib/apps.js'
import { tempDatabase } from '../lib/temp-database.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-sqlite',
  label: 'latchkey + SQLiteStore (Fastify)',
  baseline: 'fastify-bare',
  peer: 'express-session-sqlite',
  targets: [{ scenario: 'hot', maxLostUpdates: 0 }],
  async create() {
    const store = new SQLiteStore({ path: tempDatabase('latchkey') })
    await store.migrate()
    return latchkeyFastify(store, () => store.close())
  },
}
