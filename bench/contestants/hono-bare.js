// The Hono baseline (on @hono/node-server): same routes as fastify-bare
// (bench/lib/bare-routes.js), each a single synchronous handler, no session
// library.
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { bareHonoHandlers } from '../lib/bare-routes.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'hono-bare',
  label: 'Hono, no sessions (baseline)',
  async create() {
    const app = new Hono()
    for (const [path, handler] of Object.entries(bareHonoHandlers())) app.get(path, handler)
    return createAdaptorServer({ fetch: app.fetch })
  },
}
