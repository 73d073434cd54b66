// The Koa baseline: same routes as fastify-bare, the Cookie header parsed with
// `cookie`, counters in a Map keyed by the cookie's value, no session library
// and no router package (a switch on the path).
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { parse, serialize } from 'cookie'
import Koa from 'koa'
import { COOKIE } from '../lib/fairness.js'

const NAME = 'sid'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'koa-bare',
  label: 'Koa, no sessions (baseline)',
  async create() {
    const counters = new Map()
    const app = new Koa()
    app.use((ctx) => {
      if (ctx.method !== 'GET') return
      const id = parse(ctx.get('cookie'))[NAME]
      switch (ctx.path) {
        case '/new': {
          const fresh = randomBytes(32).toString('base64url')
          counters.set(fresh, 0)
          ctx.set('set-cookie', serialize(NAME, fresh, COOKIE))
          ctx.body = { n: 0 }
          return
        }
        case '/inc': {
          if (id === undefined || !counters.has(id)) {
            ctx.body = { n: null }
            return
          }
          const n = counters.get(id) + 1
          counters.set(id, n)
          ctx.body = { n }
          return
        }
        case '/read':
          ctx.body = { n: counters.get(id) ?? null }
      }
    })
    return createServer(app.callback())
  },
}
