import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import {
  type FetchHandler,
  loginRequired,
  withSessions,
} from '../../../src/adapters/fetch/index.js'
import type { AuthSessions, Sessions } from '../../../src/index.js'
import { served } from '../../support/http.js'
import {
  APP_COOKIE,
  type AppAuth,
  type AppData,
  type AppRequest,
  type AppSession,
  type AppUser,
  type Framework,
  guardedRoute,
  guardedRoutes,
  jsonRoutes,
  streamedResponse,
  VIA,
} from '../routes.js'

type Route = FetchHandler

/**
 * The matrix app as one plain Web handler (`latchkey/fetch`), with no
 * framework: a `Map` of paths is its router. Served on Node by
 * @hono/node-server, which turns node:http requests into Web `Request`s, as
 * Bun.serve and Deno.serve do natively.
 */
export const fetchHandler: Framework = {
  name: 'fetch (withSessions)',
  async start(manager, auth) {
    const routes = routesOf(manager, auth)
    const handler = withSessions([manager, auth], async (request) => {
      const route = routes.get(new URL(request.url).pathname)
      return route ? route(request) : new Response('Not Found', { status: 404 })
    })
    return served(serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }) as Server)
  },
}

function routesOf(
  manager: Sessions<AppData>,
  auth: AuthSessions<Record<string, never>, AppUser>,
): Map<string, Route> {
  const session = (request: Request) => manager.of(request) as AppSession
  const sessions = (request: Request): AppRequest => ({
    session: session(request),
    auth: auth.of(request) as AppAuth,
  })
  const routes = new Map<string, Route>()
  for (const [path, route] of Object.entries(jsonRoutes)) {
    routes.set(path, async (request) =>
      Response.json(await route(sessions(request), new URL(request.url).searchParams)),
    )
  }
  for (const [path, options] of Object.entries(guardedRoutes)) {
    routes.set(
      path,
      loginRequired(
        auth,
        options,
      )(async (request) => Response.json(await guardedRoute(sessions(request)))),
    )
  }
  routes.set('/respond-in-lock', async (request) => {
    await using s = await session(request).lock()
    const n = (s.get('n') ?? 0) + 1
    s.set('n', n)
    return Response.json({ n })
  })
  routes.set('/redirect', async (request) => {
    await session(request).set('via', VIA.redirect)
    // Response.redirect() makes a response whose headers cannot be changed.
    return Response.redirect(new URL('/read', request.url), 302)
  })
  routes.set('/stream', async (request) => {
    await session(request).set('via', VIA.stream)
    return streamedResponse()
  })
  routes.set('/end', async (request) => {
    await session(request).set('via', VIA.end)
    return new Response('ok')
  })
  routes.set('/proxied', async (request) => {
    await session(request).set('via', VIA.end)
    // A fetch() response passed through: its headers cannot be changed.
    return fetch(new URL('/hello', request.url))
  })
  routes.set('/throw-non-error', async (request) => {
    const s = await session(request).lock()
    s.set('n', (s.get('n') ?? 0) + 1)
    throw 'not an Error'
  })
  routes.set('/app-cookie', async (request) => {
    await session(request).set('via', VIA.appCookie)
    const response = Response.json({ ok: true })
    response.headers.append('set-cookie', APP_COOKIE)
    return response
  })
  return routes
}
