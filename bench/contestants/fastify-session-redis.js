// Redis peer on Fastify: @fastify/session 11 + connect-redis 9 (v10 needs
// Node 22) on a node-redis 6 client, on the runner's Redis. Same settings as
// fastify-session-memory (saveUninitialized false, rolling false) plus
// connect-redis's disableTouch: a read writes nothing, as with latchkey (which
// touches at most once per touchAfter, an hour by default). These spare it
// work. It takes no lock: /inc is the plain read-modify-write its docs show,
// and with a network round trip between the read and the write the hot
// session loses updates.
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import { RedisStore } from 'connect-redis'
import Fastify from 'fastify'
import { createClient } from 'redis'
import { COOKIE, SECRET } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'fastify-session-redis',
  label: '@fastify/session + connect-redis',
  requires: ['redis'],
  baseline: 'fastify-bare',
  async create(env) {
    const client = await createClient({ url: env.redis.url }).connect()
    const app = Fastify({ logger: false })
    app.addHook('onClose', async () => {
      await client.close()
    })
    await app.register(fastifyCookie)
    await app.register(fastifySession, {
      store: new RedisStore({ client, disableTouch: true }),
      secret: SECRET,
      saveUninitialized: false,
      rolling: false,
      cookie: {
        path: COOKIE.path,
        httpOnly: COOKIE.httpOnly,
        secure: COOKIE.secure,
        sameSite: COOKIE.sameSite,
        maxAge: COOKIE.maxAge * 1000,
      },
    })

    app.get('/new', async (request) => {
      request.session.set('n', 0)
      return { n: 0 }
    })
    app.get('/inc', async (request) => {
      const n = (request.session.get('n') ?? 0) + 1
      request.session.set('n', n)
      return { n }
    })
    app.get('/read', async (request) => ({ n: request.session.get('n') ?? null }))

    await app.ready()
    return app.server
  },
}
