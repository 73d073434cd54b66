import { createServer } from 'node:http'
import { createRequestListener } from '@react-router/node'
import { data, redirect } from 'react-router'
import { loginRequired, withSessions } from '../../../src/adapters/react-router/index.js'
import type { AuthSessions, Sessions } from '../../../src/index.js'
import { served } from '../../support/http.js'
import { type RouteSpec, serverBuild } from '../../support/react-router-build.js'
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

type Loader = (args: { request: Request }) => Promise<unknown>

/**
 * The matrix app on React Router 7: every route a resource route (a loader
 * wrapped in `withSessions`) of a server build made here, served on node:http
 * by @react-router/node's request listener, which runs React Router's own
 * request handler over it.
 */
export const reactRouter: Framework = {
  name: 'react-router 7',
  async start(manager, auth) {
    const routes: RouteSpec[] = [...loaders(manager, auth)].map(([path, loader]) => ({
      id: path,
      path: path.slice(1),
      module: { loader: withSessions([manager, auth], loader) },
    }))
    const listener = createRequestListener({ build: serverBuild(routes), mode: 'production' })
    const server = createServer(listener)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return served(server)
  },
}

function loaders(
  manager: Sessions<AppData>,
  auth: AuthSessions<Record<string, never>, AppUser>,
): Map<string, Loader> {
  const session = (request: Request) => manager.of(request) as AppSession
  const sessions = (request: Request): AppRequest => ({
    session: session(request),
    auth: auth.of(request) as AppAuth,
  })
  const routes = new Map<string, Loader>()
  // A plain value returned: React Router answers it as JSON.
  for (const [path, route] of Object.entries(jsonRoutes))
    routes.set(path, ({ request }) => route(sessions(request), new URL(request.url).searchParams))
  for (const [path, options] of Object.entries(guardedRoutes))
    routes.set(
      path,
      loginRequired(auth, options)(async ({ request }) => guardedRoute(sessions(request))),
    )
  routes.set('/respond-in-lock', async ({ request }) => {
    await using s = await session(request).lock()
    const n = (s.get('n') ?? 0) + 1
    s.set('n', n)
    return Response.json({ n })
  })
  routes.set('/redirect', async ({ request }) => {
    await session(request).set('via', VIA.redirect)
    throw redirect('/read', 302)
  })
  routes.set('/stream', async ({ request }) => {
    await session(request).set('via', VIA.stream)
    return streamedResponse()
  })
  routes.set('/end', async ({ request }) => {
    await session(request).set('via', VIA.end)
    return new Response('ok')
  })
  routes.set('/app-cookie', async ({ request }) => {
    await session(request).set('via', VIA.appCookie)
    return data({ ok: true }, { headers: { 'set-cookie': APP_COOKIE } })
  })
  return routes
}
