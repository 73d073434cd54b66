// A reference, not a library: koa-bare with one more middleware that does
// nothing but `await next()`, and the routes in an async middleware after it,
// as an app using any session middleware is laid out (latchkey's reads are
// async). Koa runs each middleware level through its compose chain, so this is
// the floor of every session library on Koa: latchkey's own cost on Koa is its
// distance from this row, not from koa-bare.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { parse, serialize } from 'cookie'
import Koa from 'koa'
import { COOKIE } from '../lib/fairness.js'

const NAME = 'sid'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'koa-middleware',
  label: 'Koa + one no-op middleware (floor)',
  baseline: 'koa-bare',
  async create() {
    const counters = new Map()
    const app = new Koa()
    app.use(async (_ctx, next) => {
      await next()
    })
    app.use(async (ctx) => {
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
