// latchkey's Fastify plugin with PostgresStore on the runner's PostgreSQL.
// Same routes as latchkey-fastify-memory: /inc is a locked read-modify-write
// (the store's lease lock), /read reads without the lock. The pool has the
// same size as the peer's.
import { PostgresStore } from 'latchkey/stores/postgres'
import pg from 'pg'
import { latchkeyFastify } from '../lib/apps.js'
import { POSTGRES_POOL_SIZE } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-postgres',
  label: 'latchkey + PostgresStore (Fastify)',
  requires: ['postgres'],
  baseline: 'fastify-bare',
  peer: 'express-session-pg',
  targets: [
    { scenario: 'inc', versus: 'express-session-pg', atLeast: 1.5 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  async create(env) {
    const { host, port, user, database } = env.postgres
    const pool = new pg.Pool({ host, port, user, database, max: POSTGRES_POOL_SIZE })
    const store = new PostgresStore({ client: pool })
    await store.migrate()
    return latchkeyFastify(store, async () => {
      await store.close()
      await pool.end()
    })
  },
}
