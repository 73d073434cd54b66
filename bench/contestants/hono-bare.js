// The Hono baseline (on @hono/node-server): same routes as fastify-bare, the
// Cookie header parsed with `cookie`, counters in a Map keyed by the cookie's
// value, no session library.
import { randomBytes } from 'node:crypto'
import { createAdaptorServer } from '@hono/node-server'
import { parse, serialize } from 'cookie'
import { Hono } from 'hono'
import { COOKIE } from '../lib/fairness.js'

const NAME = 'sid'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'hono-bare',
  label: 'Hono, no sessions (baseline)',
  async create() {
    const counters = new Map()
    const idOf = (c) => parse(c.req.header('cookie') ?? '')[NAME]
    const app = new Hono()

    app.get('/new', (c) => {
      const id = randomBytes(32).toString('base64url')
      counters.set(id, 0)
      c.header('set-cookie', serialize(NAME, id, COOKIE))
      return c.json({ n: 0 })
    })
    app.get('/inc', (c) => {
      const id = idOf(c)
      if (id === undefined || !counters.has(id)) return c.json({ n: null })
      const n = counters.get(id) + 1
      counters.set(id, n)
      return c.json({ n })
    })
    app.get('/read', (c) => c.json({ n: counters.get(idOf(c)) ?? null }))

    return createAdaptorServer({ fetch: app.fetch })
  },
}
