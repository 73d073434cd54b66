import { Readable } from 'node:stream'
import type Koa from 'koa'
import { latchkey, loginRequired } from '../../../src/adapters/koa/index.js'
import { served } from '../../support/http.js'
import {
  APP_COOKIE,
  type AppAuth,
  type AppSession,
  type Framework,
  guardedRoute,
  guardedRoutes,
  jsonRoutes,
  STREAM_CHUNKS,
  VIA,
} from '../routes.js'

/** The matrix app on Koa (2 or 3: the same code runs on both). */
export function koaFramework(name: string, KoaApp: typeof Koa): Framework {
  return {
    name,
    async start(manager, auth) {
      const app = new KoaApp()
      app.silent = true
      app.use(latchkey(manager, auth))
      // No router dependency: the guards are composed by hand, as a router would.
      const guards = new Map(
        Object.entries(guardedRoutes).map(([path, options]) => [
          path,
          loginRequired(auth, options),
        ]),
      )
      app.use(async (ctx) => {
        const session = ctx.session as unknown as AppSession
        const request = { session, auth: ctx.authSession as unknown as AppAuth }
        const route = jsonRoutes[ctx.path]
        if (route) {
          ctx.body = await route(request, new URL(ctx.url, 'http://localhost').searchParams)
          return
        }
        const guard = guards.get(ctx.path)
        if (guard) {
          await guard(ctx, async () => {
            ctx.body = await guardedRoute(request)
          })
          return
        }
        switch (ctx.path) {
          case '/respond-in-lock': {
            await using s = await session.lock()
            const n = (s.get('n') ?? 0) + 1
            s.set('n', n)
            ctx.body = { n }
            return
          }
          case '/redirect':
            await session.set('via', VIA.redirect)
            ctx.redirect('/read')
            return
          case '/stream':
            await session.set('via', VIA.stream)
            ctx.type = 'text/plain'
            ctx.body = Readable.from(STREAM_CHUNKS)
            return
          case '/end':
            await session.set('via', VIA.end)
            ctx.body = 'ok'
            return
          case '/app-cookie':
            await session.set('via', VIA.appCookie)
            ctx.append('set-cookie', APP_COOKIE)
            ctx.body = { ok: true }
            return
        }
      })
      return served(app.listen(0, '127.0.0.1'))
    },
  }
}
