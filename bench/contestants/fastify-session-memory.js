// The peer: @fastify/session 11 with @fastify/cookie and its default memory
// store. saveUninitialized false (only /new creates sessions) and rolling
// false (a read does not re-save the session or re-send the cookie; latchkey
// does neither on /read), which spares it work rather than adding any. It takes
// no lock: /inc is the plain read-modify-write its docs show.
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import Fastify from 'fastify'
import { COOKIE, SECRET } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'fastify-session-memory',
  label: '@fastify/session + memory store',
  baseline: 'fastify-bare',
  async create() {
    const app = Fastify({ logger: false })
    await app.register(fastifyCookie)
    await app.register(fastifySession, {
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
