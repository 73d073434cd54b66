// The routes of the bare baselines, shared by each bare framework and its
// `*-middleware` reference, which serves them behind a no-op middleware. The
// Cookie header is parsed with `cookie` (the parser latchkey uses) and counters
// live in a Map keyed by the cookie's value: no signing, no hashing, no expiry,
// no Set-Cookie on /inc. Imports only what the routes need, so the baselines'
// servers load nothing else.
import { randomBytes } from 'node:crypto'
import { parse, serialize } from 'cookie'
import { COOKIE } from './fairness.js'

const NAME = 'sid'

/**
 * The routes as one Koa middleware, with no router package (a switch on the path).
 * @returns {(ctx: import('koa').Context) => void}
 */
export function bareKoaRoutes() {
  const counters = new Map()
  return (ctx) => {
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
  }
}

/**
 * The routes as Hono handlers, by path.
 * @returns {Record<'/new' | '/inc' | '/read', (c: import('hono').Context) => Response>}
 */
export function bareHonoHandlers() {
  const counters = new Map()
  const idOf = (c) => parse(c.req.header('cookie') ?? '')[NAME]
  return {
    '/new': (c) => {
      const id = randomBytes(32).toString('base64url')
      counters.set(id, 0)
      c.header('set-cookie', serialize(NAME, id, COOKIE))
      return c.json({ n: 0 })
    },
    '/inc': (c) => {
      const id = idOf(c)
      if (id === undefined || !counters.has(id)) return c.json({ n: null })
      const n = counters.get(id) + 1
      counters.set(id, n)
      return c.json({ n })
    },
    '/read': (c) => c.json({ n: counters.get(idOf(c)) ?? null }),
  }
}
