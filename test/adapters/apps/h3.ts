import { createServer } from 'node:http'
import {
  appendResponseHeader,
  createApp,
  createRouter,
  defineEventHandler,
  getQuery,
  type H3Event,
  sendRedirect,
  sendStream,
  setResponseHeader,
  toNodeListener,
} from 'h3'
import { answerSessionError, latchkey, loginRequired } from '../../../src/adapters/h3/index.js'
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

const session = (event: H3Event) => event.context.session as unknown as AppSession
const sessions = (event: H3Event): AppRequest => ({
  session: session(event),
  auth: event.context.authSession as unknown as AppAuth,
})
const query = (event: H3Event) => new URLSearchParams(getQuery(event) as Record<string, string>)

/** The matrix app on h3 1.x (Nitro 2's h3), served by node:http through toNodeListener. */
export const h3: Framework = {
  name: 'h3 1',
  async start(manager, auth) {
    const app = createApp({ onError: answerSessionError })
    app.use(latchkey(manager, auth))
    const router = createRouter()
    for (const [path, route] of Object.entries(jsonRoutes)) {
      router.get(
        path,
        defineEventHandler(async (event) => route(sessions(event), query(event))),
      )
    }
    for (const [path, options] of Object.entries(guardedRoutes)) {
      router.get(
        path,
        defineEventHandler({
          onRequest: [loginRequired(auth, options)],
          handler: async (event) => guardedRoute(sessions(event)),
        }),
      )
    }
    router.get(
      '/respond-in-lock',
      defineEventHandler(async (event) => {
        await using s = await session(event).lock()
        const n = (s.get('n') ?? 0) + 1
        s.set('n', n)
        return { n }
      }),
    )
    router.get(
      '/redirect',
      defineEventHandler(async (event) => {
        await session(event).set('via', VIA.redirect)
        return sendRedirect(event, '/read', 302)
      }),
    )
    router.get(
      '/stream',
      defineEventHandler(async (event) => {
        await session(event).set('via', VIA.stream)
        setResponseHeader(event, 'content-type', 'text/plain')
        const chunks = [...STREAM_CHUNKS]
        return sendStream(
          event,
          new ReadableStream<Uint8Array>({
            pull(controller) {
              const chunk = chunks.shift()
              if (chunk === undefined) controller.close()
              else controller.enqueue(new TextEncoder().encode(chunk))
            },
          }),
        )
      }),
    )
    router.get(
      '/end',
      defineEventHandler(async (event) => {
        await session(event).set('via', VIA.end)
        event.node.res.end('ok')
      }),
    )
    router.get(
      '/proxied',
      defineEventHandler(async (event) => {
        await session(event).set('via', VIA.end)
        // A fetch() response passed through: h3 copies it onto the Node response.
        return fetch(new URL('/hello', `http://${event.node.req.headers.host}`))
      }),
    )
    router.get(
      '/throw-non-error',
      defineEventHandler(async (event) => {
        const s = await session(event).lock()
        s.set('n', (s.get('n') ?? 0) + 1)
        throw 'not an Error'
      }),
    )
    router.get(
      '/app-cookie',
      defineEventHandler(async (event) => {
        await session(event).set('via', VIA.appCookie)
        appendResponseHeader(event, 'set-cookie', APP_COOKIE)
        return { ok: true }
      }),
    )
    app.use(router)
    const server = createServer(toNodeListener(app))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return served(server)
  },
}
