// The Koa baseline: same routes as fastify-bare (bench/lib/bare-routes.js) in
// one middleware, no session library and no router package.
import { createServer } from 'node:http'
import Koa from 'koa'
import { bareKoaRoutes } from '../lib/bare-routes.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'koa-bare',
  label: 'Koa, no sessions (baseline)',
  async create() {
    const app = new Koa()
    app.use(bareKoaRoutes())
    return createServer(app.callback())
  },
}
