// The baseline: Fastify with the same routes and payloads and no session
// library. The cookie header is parsed (with `cookie`, the parser latchkey
// uses) and counters live in a Map keyed by the cookie's value. No signing, no
// hashing, no expiry, no Set-Cookie on /inc: the floor every session library
// adds its cost to.
import { randomBytes } from 'node:crypto'
import { parse, serialize } from 'cookie'
import Fastify from 'fastify'
import { COOKIE } from '../lib/fairness.js'

const NAME = 'sid'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'fastify-bare',
  label: 'Fastify, no sessions (baseline)',
  async create() {
    const counters = new Map()
    const idOf = (request) => parse(request.headers.cookie ?? '')[NAME]
    const app = Fastify({ logger: false })

    app.get('/new', async (_request, reply) => {
      const id = randomBytes(32).toString('base64url')
      counters.set(id, 0)
      reply.header('set-cookie', serialize(NAME, id, COOKIE))
      return { n: 0 }
    })
    app.get('/inc', async (request) => {
      const id = idOf(request)
      if (id === undefined || !counters.has(id)) return { n: null }
      const n = counters.get(id) + 1
      counters.set(id, n)
      return { n }
    })
    app.get('/read', async (request) => ({ n: counters.get(idOf(request)) ?? null }))

    await app.ready()
    return app.server
  },
}
