// A reference, not a library: koa-bare's routes (bench/lib/bare-routes.js)
// behind one more middleware that does nothing but `await next()`, in an async
// middleware of their own, as an app using any session middleware is laid out
// (latchkey's reads are async). Koa runs each middleware level through its
// compose chain, so this is the floor of every session library on Koa:
// latchkey's own cost on Koa is its distance from this row, not from koa-bare.
import { createServer } from 'node:http'
import Koa from 'koa'
import { bareKoaRoutes } from '../lib/bare-routes.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'koa-middleware',
  label: 'Koa + one no-op middleware (floor)',
  baseline: 'koa-bare',
  async create() {
    const routes = bareKoaRoutes()
    const app = new Koa()
    app.use(async (_ctx, next) => {
      await next()
    })
    app.use(async (ctx) => routes(ctx))
    return createServer(app.callback())
  },
}
