import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { type Context, Hono } from 'hono'
import { stream } from 'hono/streaming'
import { latchkey, loginRequired } from '../../../src/adapters/hono/index.js'
import { served } from '../../support/http.js'
import {
  APP_COOKIE,
  type AppAuth,
  type AppRequest,
  type AppSession,
  type Framework,
  guardedRoute,
  guardedRoutes,
  jsonRoutes,
  STREAM_CHUNKS,
  VIA,
} from '../routes.js'

const session = (c: Context) => c.get('session') as unknown as AppSession
const sessions = (c: Context): AppRequest => ({
  session: session(c),
  auth: c.get('authSession') as unknown as AppAuth,
})

/** The matrix app on Hono, served by @hono/node-server. */
export const hono: Framework = {
  name: 'hono 4',
  async start(manager, auth) {
    const app = new Hono()
    app.use(latchkey(manager, auth))
    for (const [path, route] of Object.entries(jsonRoutes)) {
      app.get(path, async (c) => c.json(await route(sessions(c), new URL(c.req.url).searchParams)))
    }
    for (const [path, options] of Object.entries(guardedRoutes)) {
      app.get(path, loginRequired(auth, options), async (c) =>
        c.json(await guardedRoute(sessions(c))),
      )
    }
    app.get('/respond-in-lock', async (c) => {
      await using s = await session(c).lock()
      const n = (s.get('n') ?? 0) + 1
      s.set('n', n)
      return c.json({ n })
    })
    app.get('/redirect', async (c) => {
      await session(c).set('via', VIA.redirect)
      return c.redirect('/read')
    })
    app.get('/stream', async (c) => {
      await session(c).set('via', VIA.stream)
      c.header('content-type', 'text/plain')
      return stream(c, async (out) => {
        for (const chunk of STREAM_CHUNKS) await out.write(chunk)
      })
    })
    app.get('/end', async (c) => {
      await session(c).set('via', VIA.end)
      return new Response('ok')
    })
    app.get('/proxied', async (c) => {
      await session(c).set('via', VIA.end)
      // A fetch() response passed through: its headers cannot be changed.
      return fetch(new URL('/hello', c.req.url))
    })
    app.get('/throw-non-error', async (c) => {
      const s = await session(c).lock()
      s.set('n', (s.get('n') ?? 0) + 1)
      // Hono's onError only sees Error instances; anything else escapes the middleware chain.
      throw 'not an Error'
    })
    app.get('/app-cookie', async (c) => {
      await session(c).set('via', VIA.appCookie)
      c.header('set-cookie', APP_COOKIE, { append: true })
      return c.json({ ok: true })
    })
    // serve() without createServer options makes a node:http server.
    return served(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server)
  },
}
