// Cookie-store peer: iron-session 8 (v9 needs Node 22) in plain Fastify,
// through the Node request/response it supports (`getIronSession(req, res)`).
// Its seal is iron (AES-256-CBC + HMAC-SHA256, keys derived with PBKDF2 from
// the password on every seal and unseal, through WebCrypto); ttl = the shared
// 30 days (its cookie Max-Age is ttl − 60 s by design). It writes the cookie
// only on save(), so /read sends none. No lock. Hot scenario skipped: see
// latchkey-fastify-cookie.js.
import Fastify from 'fastify'
import { getIronSession } from 'iron-session'
import { COOKIE, COOKIE_STORE_SKIP, SECRET } from '../lib/fairness.js'

const OPTIONS = {
  password: SECRET,
  cookieName: 'session',
  ttl: COOKIE.maxAge,
  cookieOptions: {
    path: COOKIE.path,
    httpOnly: COOKIE.httpOnly,
    secure: COOKIE.secure,
    sameSite: COOKIE.sameSite,
  },
}

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'iron-session',
  label: 'iron-session 8 (Fastify)',
  baseline: 'fastify-bare',
  skip: COOKIE_STORE_SKIP,
  async create() {
    const app = Fastify({ logger: false })
    const sessionOf = (request, reply) => getIronSession(request.raw, reply.raw, OPTIONS)

    app.get('/new', async (request, reply) => {
      const session = await sessionOf(request, reply)
      session.n = 0
      await session.save()
      return { n: 0 }
    })
    app.get('/inc', async (request, reply) => {
      const session = await sessionOf(request, reply)
      const n = (session.n ?? 0) + 1
      session.n = n
      await session.save()
      return { n }
    })
    app.get('/read', async (request, reply) => ({
      n: (await sessionOf(request, reply)).n ?? null,
    }))

    await app.ready()
    return app.server
  },
}
