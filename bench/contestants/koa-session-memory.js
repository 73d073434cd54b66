// The Koa peer: koa-session 7 with an external store (its documented
// `store: { get, set, destroy }` interface) over a Map, so that it keeps the
// session on the server like latchkey's MemoryStore rather than in a signed,
// unencrypted cookie (its default). The cookie holds the key, signed with
// app.keys. rolling and renew false (defaults): a read re-sends nothing. No
// lock. Routes by a switch on the path, as koa-bare.
import { createServer } from 'node:http'
import Koa from 'koa'
import session from 'koa-session'
import { COOKIE, SECRET } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'koa-session-memory',
  label: 'koa-session + Map store (Koa)',
  baseline: 'koa-bare',
  async create() {
    const sessions = new Map()
    const app = new Koa()
    app.keys = [SECRET]
    app.use(
      session(
        {
          key: 'session',
          maxAge: COOKIE.maxAge * 1000,
          path: COOKIE.path,
          httpOnly: COOKIE.httpOnly,
          secure: COOKIE.secure,
          sameSite: COOKIE.sameSite,
          store: {
            get: (key) => sessions.get(key),
            set: (key, value) => {
              sessions.set(key, value)
            },
            destroy: (key) => {
              sessions.delete(key)
            },
          },
        },
        app,
      ),
    )
    app.use((ctx) => {
      if (ctx.method !== 'GET') return
      switch (ctx.path) {
        case '/new':
          ctx.session.n = 0
          ctx.body = { n: 0 }
          return
        case '/inc': {
          const n = (ctx.session.n ?? 0) + 1
          ctx.session.n = n
          ctx.body = { n }
          return
        }
        case '/read':
          ctx.body = { n: ctx.session.n ?? null }
      }
    })
    return createServer(app.callback())
  },
}
