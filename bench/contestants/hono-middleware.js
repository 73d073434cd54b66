// A reference, not a library: hono-bare with one middleware that does nothing
// but `await next()`, and async route handlers. Hono calls a route with a
// single handler directly; one middleware makes it compose the chain, with
// promises at each level. Every session library on Hono is a middleware (and
// latchkey's reads are async), so this is the floor of all of them: latchkey's
// own cost on Hono is its distance from this row, not from hono-bare.
import { randomBytes } from 'node:crypto'
import { createAdaptorServer } from '@hono/node-server'
import { parse, serialize } from 'cookie'
import { Hono } from 'hono'
import { COOKIE } from '../lib/fairness.js'

const NAME = 'sid'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'hono-middleware',
  label: 'Hono + one no-op middleware (floor)',
  baseline: 'hono-bare',
  async create() {
    const counters = new Map()
    const idOf = (c) => parse(c.req.header('cookie') ?? '')[NAME]
    const app = new Hono()
    app.use(async (_c, next) => {
      await next()
    })

    app.get('/new', async (c) => {
      const id = randomBytes(32).toString('base64url')
      counters.set(id, 0)
      c.header('set-cookie', serialize(NAME, id, COOKIE))
      return c.json({ n: 0 })
    })
    app.get('/inc', async (c) => {
      const id = idOf(c)
      if (id === undefined || !counters.has(id)) return c.json({ n: null })
      const n = counters.get(id) + 1
      counters.set(id, n)
      return c.json({ n })
    })
    app.get('/read', async (c) => c.json({ n: counters.get(idOf(c)) ?? null }))

    return createAdaptorServer({ fetch: app.fetch })
  },
}
