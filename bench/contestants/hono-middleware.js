// A reference, not a library: hono-bare's routes (bench/lib/bare-routes.js)
// behind one middleware that does nothing but `await next()`, with async
// handlers. Hono calls a route with a single handler directly; one middleware
// makes it compose the chain, with promises at each level. Every session
// library on Hono is a middleware (and latchkey's reads are async), so this is
// the floor of all of them: latchkey's own cost on Hono is its distance from
// this row, not from hono-bare.
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { bareHonoHandlers } from '../lib/bare-routes.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'hono-middleware',
  label: 'Hono + one no-op middleware (floor)',
  baseline: 'hono-bare',
  async create() {
    const app = new Hono()
    app.use(async (_c, next) => {
      await next()
    })
    for (const [path, handler] of Object.entries(bareHonoHandlers()))
      app.get(path, async (c) => handler(c))
    return createAdaptorServer({ fetch: app.fetch })
  },
}
