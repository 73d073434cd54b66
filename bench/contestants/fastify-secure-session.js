// Cookie-store peer: @fastify/secure-session 8 (libsodium secretbox through
// sodium-native, XSalsa20-Poly1305), a random 32-byte key (no key derivation
// per start), session validity (`expiry`) = the shared 30 days. It re-sends the
// cookie only when the session changed, so /read sends none, as with latchkey.
// No lock. Hot scenario skipped: see latchkey-fastify-cookie.js.
import { randomBytes } from 'node:crypto'
import fastifySecureSession from '@fastify/secure-session'
import Fastify from 'fastify'
import { sessionRoutes } from '../lib/apps.js'
import { COOKIE, COOKIE_STORE_SKIP } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'fastify-secure-session',
  label: '@fastify/secure-session',
  baseline: 'fastify-bare',
  skip: COOKIE_STORE_SKIP,
  async create() {
    const app = Fastify({ logger: false })
    await app.register(fastifySecureSession, {
      key: randomBytes(32),
      cookieName: 'session',
      expiry: COOKIE.maxAge,
      cookie: {
        path: COOKIE.path,
        httpOnly: COOKIE.httpOnly,
        secure: COOKIE.secure,
        sameSite: COOKIE.sameSite,
        maxAge: COOKIE.maxAge,
      },
    })

    sessionRoutes(app)
    await app.ready()
    return app.server
  },
}
