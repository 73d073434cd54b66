import { Readable } from 'node:stream'
import type express from 'express'
import type { NextFunction, Request, Response } from 'express'
import { latchkey, loginRequired } from '../../../src/adapters/express/index.js'
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

type Handler = (req: Request, res: Response) => Promise<void>

// Express 4 does not catch rejected promises; the wrapper is what Express 4 apps write.
const handle = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next)
}

const session = (req: Request) => req.session as unknown as AppSession
const sessions = (req: Request): AppRequest => ({
  session: session(req),
  auth: req.authSession as unknown as AppAuth,
})
const query = (req: Request) => new URL(req.url, 'http://localhost').searchParams

/** The matrix app on Express (4 or 5: the same code runs on both). */
export function expressFramework(name: string, createApp: typeof express): Framework {
  return {
    name,
    async start(manager, auth) {
      const app = createApp()
      app.use(latchkey(manager, auth))
      for (const [path, route] of Object.entries(jsonRoutes)) {
        app.get(
          path,
          handle(async (req, res) => {
            res.json(await route(sessions(req), query(req)))
          }),
        )
      }
      for (const [path, options] of Object.entries(guardedRoutes)) {
        app.get(
          path,
          loginRequired(auth, options),
          handle(async (req, res) => {
            res.json(await guardedRoute(sessions(req)))
          }),
        )
      }
      app.get(
        '/respond-in-lock',
        handle(async (req, res) => {
          await using s = await session(req).lock()
          const n = (s.get('n') ?? 0) + 1
          s.set('n', n)
          res.json({ n }) // the response starts, and the session is saved, before the lock is released
        }),
      )
      app.get(
        '/redirect',
        handle(async (req, res) => {
          await session(req).set('via', VIA.redirect)
          res.redirect('/read')
        }),
      )
      app.get(
        '/stream',
        handle(async (req, res) => {
          await session(req).set('via', VIA.stream)
          res.type('text/plain')
          Readable.from(STREAM_CHUNKS).pipe(res)
        }),
      )
      app.get(
        '/end',
        handle(async (req, res) => {
          await session(req).set('via', VIA.end)
          res.end('ok')
        }),
      )
      app.get(
        '/app-cookie',
        handle(async (req, res) => {
          await session(req).set('via', VIA.appCookie)
          res.append('set-cookie', APP_COOKIE)
          res.json({ ok: true })
        }),
      )
      app.get(
        '/write-head',
        handle(async (req, res) => {
          await session(req).set('via', VIA.appCookie)
          res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': APP_COOKIE })
          res.end('ok')
        }),
      )
      return served(app.listen(0, '127.0.0.1'))
    },
  }
}
