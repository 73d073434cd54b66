// A reference point for issue 6's cookie targets: latchkey's CookieStore on
// Fastify without the session manager. /inc unseals the cookie, adds 1 and
// seals the record again, and the Set-Cookie carries latchkey's attributes
// (Max-Age and Expires). What latchkey-fastify-cookie costs beyond this is the
// manager's work (the lock, the record's upkeep, the cookie rules); what this
// costs beyond @fastify/secure-session is the format's (Fernet on node:crypto,
// a record that carries its id and times).
import { randomBytes } from 'node:crypto'
import { parse } from 'cookie'
import Fastify from 'fastify'
import { CookieStore, generateKey } from 'latchkey/stores/cookie'
import { COOKIE, COOKIE_STORE_SKIP } from '../lib/fairness.js'

const NAME = 'SESSION'
const TTL_MS = COOKIE.maxAge * 1000

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'cookie-store-alone',
  label: 'latchkey CookieStore alone (Fastify, no manager)',
  baseline: 'fastify-bare',
  peer: 'fastify-secure-session',
  skip: COOKIE_STORE_SKIP,
  async create() {
    const store = new CookieStore({ keys: generateKey() })
    const cookie = (record) =>
      `${NAME}=${store.seal(record)}; Max-Age=${COOKIE.maxAge}; Path=/; Expires=${new Date(record.expiresAt).toUTCString()}; HttpOnly; SameSite=Lax`
    const open = (request) =>
      store.unseal(parse(request.headers.cookie ?? '')[NAME] ?? '', COOKIE.maxAge)?.record
    const app = Fastify({ logger: false })

    app.get('/new', async (_request, reply) => {
      const now = Date.now()
      const id = randomBytes(32).toString('base64url')
      const record = {
        data: { n: 0 },
        id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: now + TTL_MS,
      }
      reply.header('set-cookie', cookie(record))
      return { n: 0 }
    })
    app.get('/inc', async (request, reply) => {
      const record = open(request)
      if (!record) return { n: null }
      const now = Date.now()
      const n = (record.data.n ?? 0) + 1
      const { id, createdAt } = record
      reply.header(
        'set-cookie',
        cookie({ data: { n }, id, createdAt, lastSeenAt: now, expiresAt: now + TTL_MS }),
      )
      return { n }
    })
    app.get('/read', async (request) => ({ n: open(request)?.data.n ?? null }))

    await app.ready()
    return app.server
  },
}
