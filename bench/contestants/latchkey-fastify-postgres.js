// latchkey's Fastify plugin with PostgresStore on the runner's PostgreSQL.
// Same routes as latchkey-fastify-memory: /inc is a locked read-modify-write
// (the store's lease lock), /read reads without the lock. The pool has the
// same size as the peer's.
import Fastify from 'fastify'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/fastify'
import { PostgresStore } from 'latchkey/stores/postgres'
import pg from 'pg'
import { COOKIE, POSTGRES_POOL_SIZE } from '../lib/fairness.js'

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
    const sessions = new Sessions({
      store,
      warnLock: false,
      ttl: COOKIE.maxAge,
      cookie: {
        path: COOKIE.path,
        httpOnly: COOKIE.httpOnly,
        secure: COOKIE.secure,
        sameSite: COOKIE.sameSite,
      },
    })
    const app = Fastify({ logger: false })
    await app.register(latchkey(sessions))
    app.addHook('onClose', async () => {
      await store.close?.()
      await pool.end()
    })

    app.get('/new', async (request) => {
      await request.session.withLock((s) => s.set('n', 0))
      return { n: 0 }
    })
    app.get('/inc', async (request) =>
      request.session.withLock((s) => {
        const n = (s.get('n') ?? 0) + 1
        s.set('n', n)
        return { n }
      }),
    )
    app.get('/read', async (request) => ({ n: (await request.session.get('n')) ?? null }))

    await app.ready()
    return app.server
  },
}
