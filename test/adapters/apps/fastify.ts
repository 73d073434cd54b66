import { Readable } from 'node:stream'
import Fastify, { type FastifyRequest } from 'fastify'
import { latchkey, loginRequired } from '../../../src/adapters/fastify/index.js'
import { listen } from '../../support/http.js'
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

const session = (req: FastifyRequest) => req.session as unknown as AppSession
const sessions = (req: FastifyRequest): AppRequest => ({
  session: session(req),
  auth: req.authSession as unknown as AppAuth,
})

/** The matrix app on Fastify. */
export const fastify: Framework = {
  name: 'fastify 5',
  async start(manager, auth) {
    const app = Fastify()
    await app.register(latchkey(manager, auth))
    for (const [path, route] of Object.entries(jsonRoutes)) {
      app.get(path, async (req) =>
        route(sessions(req), new URL(req.url, 'http://localhost').searchParams),
      )
    }
    for (const [path, options] of Object.entries(guardedRoutes)) {
      app.get(path, { preHandler: loginRequired(auth, options) }, async (req) =>
        guardedRoute(sessions(req)),
      )
    }
    app.get('/respond-in-lock', async (req, reply) => {
      await using s = await session(req).lock()
      const n = (s.get('n') ?? 0) + 1
      s.set('n', n)
      reply.send({ n }) // the response starts before the lock is released
      return reply
    })
    app.get('/redirect', async (req, reply) => {
      await session(req).set('via', VIA.redirect)
      return reply.redirect('/read')
    })
    app.get('/stream', async (req, reply) => {
      await session(req).set('via', VIA.stream)
      return reply.type('text/plain').send(Readable.from(STREAM_CHUNKS))
    })
    app.get('/end', async (req, reply) => {
      await session(req).set('via', VIA.end)
      return reply.type('text/plain').send('ok')
    })
    app.get('/app-cookie', async (req, reply) => {
      await session(req).set('via', VIA.appCookie)
      reply.header('set-cookie', APP_COOKIE)
      return { ok: true }
    })
    const url = await listen(app)
    return { url, close: () => app.close() }
  },
}
