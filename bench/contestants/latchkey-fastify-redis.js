// latchkey's Fastify plugin with RedisStore on the runner's Redis, through a
// node-redis 6 client (the same client package as the connect-redis peers).
// Same routes as latchkey-fastify-memory: /inc is a locked read-modify-write
// (the store's distributed lock: lock+load in one script, save+unlock in
// another), /read reads without the lock.
import Fastify from 'fastify'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/fastify'
import { RedisStore } from 'latchkey/stores/redis'
import { createClient } from 'redis'
import { COOKIE } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-redis',
  label: 'latchkey + RedisStore (Fastify)',
  requires: ['redis'],
  baseline: 'fastify-bare',
  peer: 'fastify-session-redis',
  targets: [
    { scenario: 'inc', versus: 'fastify-session-redis', atLeast: 1.5 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  async create(env) {
    const client = await createClient({ url: env.redis.url }).connect()
    const store = new RedisStore({ client })
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
      await client.close()
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
