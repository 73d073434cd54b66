import type { Server } from 'node:http'
import { createServer } from 'node:http'
import { serve } from '@hono/node-server'
import { Controller, NotFoundException, Options, UseGuards } from '@nestjs/common'
import express from 'express'
import * as h3 from 'h3'
import { Hono } from 'hono'
import Koa from 'koa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as expressAdapter from '../../src/adapters/express/index.js'
import * as h3Adapter from '../../src/adapters/h3/index.js'
import * as honoAdapter from '../../src/adapters/hono/index.js'
import * as koaAdapter from '../../src/adapters/koa/index.js'
import * as nestAdapter from '../../src/adapters/nest/index.js'
import * as sveltekitAdapter from '../../src/adapters/sveltekit/index.js'
import { AuthSessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { request, type Served, served } from '../support/http.js'
import { createNestApp, type Platform, Routes } from './apps/nest.js'

type Start = (auth: AuthSessions) => Server | Promise<Server>

/**
 * Each app: /custom answers 404 through onUnauthenticated, /silent has an
 * onUnauthenticated that sends nothing, /strict guards OPTIONS too, /bare is
 * guarded without latchkey() registered.
 */
const apps: Record<string, Start> = {
  express(auth) {
    const { latchkey, loginRequired } = expressAdapter
    const app = express()
    const ok = (_req: express.Request, res: express.Response) => {
      res.json({ ok: true })
    }
    app.get('/bare', loginRequired(auth), ok)
    app.use(latchkey(auth))
    app.get(
      '/custom',
      loginRequired(auth, { onUnauthenticated: (_req, res) => res.status(404).json({ nope: 1 }) }),
      ok,
    )
    app.get('/silent', loginRequired(auth, { onUnauthenticated: () => undefined }), ok)
    app.options('/strict', loginRequired(auth, { exemptMethods: [] }), ok)
    app.options('/lenient', loginRequired(auth), ok)
    return app.listen(0, '127.0.0.1')
  },
  h3(auth) {
    const { latchkey, loginRequired, answerSessionError } = h3Adapter
    const app = h3.createApp({ onError: answerSessionError })
    const session = latchkey(auth)
    app.use(h3.defineEventHandler((event) => (event.path === '/bare' ? undefined : session(event))))
    const guarded = (options: h3Adapter.LoginRequiredOptions) =>
      h3.defineEventHandler({
        onRequest: [loginRequired(auth, options)],
        handler: () => ({ ok: true }),
      })
    const notFound = (event: h3.H3Event) => {
      h3.setResponseStatus(event, 404)
      return h3.send(event, JSON.stringify({ nope: 1 }), 'application/json')
    }
    app.use(
      h3
        .createRouter()
        .get('/bare', guarded({}))
        .get('/custom', guarded({ onUnauthenticated: notFound }))
        .get('/silent', guarded({ onUnauthenticated: () => undefined }))
        .options('/strict', guarded({ exemptMethods: [] }))
        .options('/lenient', guarded({})),
    )
    return createServer(h3.toNodeListener(app)).listen(0, '127.0.0.1')
  },
  hono(auth) {
    const { latchkey, loginRequired } = honoAdapter
    const app = new Hono()
    app.get('/bare', loginRequired(auth), (c) => c.json({ ok: true }))
    app.use('/*', async (c, next) => (c.req.path === '/bare' ? next() : latchkey(auth)(c, next)))
    app.get(
      '/custom',
      loginRequired(auth, { onUnauthenticated: (c) => c.json({ nope: 1 }, 404) }),
      (c) => c.json({ ok: true }),
    )
    app.get('/silent', loginRequired(auth, { onUnauthenticated: () => undefined }), (c) =>
      c.json({ ok: true }),
    )
    app.options('/strict', loginRequired(auth, { exemptMethods: [] }), (c) => c.json({ ok: true }))
    app.options('/lenient', loginRequired(auth), (c) => c.json({ ok: true }))
    return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server
  },
  koa(auth) {
    const { latchkey, loginRequired } = koaAdapter
    const app = new Koa()
    app.silent = true
    const routes = new Map<string, koaAdapter.LoginRequiredOptions>([
      [
        '/custom',
        { onUnauthenticated: (ctx) => Object.assign(ctx, { status: 404, body: { nope: 1 } }) },
      ],
      ['/silent', { onUnauthenticated: () => undefined }],
      ['/strict', { exemptMethods: [] }],
      ['/lenient', {}],
      ['/bare', {}],
    ])
    const guards = new Map(
      [...routes].map(([path, options]) => [path, loginRequired(auth, options)]),
    )
    const session = latchkey(auth)
    app.use(async (ctx, next) => (ctx.path === '/bare' ? next() : session(ctx, next)))
    app.use(async (ctx) => {
      const guard = guards.get(ctx.path)
      if (!guard) return
      await guard(ctx, async () => {
        ctx.body = { ok: true }
      })
    })
    return app.listen(0, '127.0.0.1')
  },
  'nest (express)': nestApp('express'),
  'nest (fastify)': nestApp('fastify'),
}

/** On Nest, /bare is guarded by a manager that latchkey() was not given. */
function nestApp(platform: Platform): Start {
  return async (auth) => {
    const { loginRequired } = nestAdapter
    const unregistered = new AuthSessions({
      store: new MemoryStore(),
      name: 'otherAuth',
      cookie: { name: 'OTHER' },
    })
    const routes = new Routes(class GuardController {})
    const ok = () => ({ ok: true })
    const guard = (...args: Parameters<typeof loginRequired>) => [UseGuards(loginRequired(...args))]
    const notFound = () => {
      throw new NotFoundException({ nope: 1 })
    }
    routes.add('/custom', ok, [], guard(auth, { onUnauthenticated: notFound }))
    routes.add('/silent', ok, [], guard(auth, { onUnauthenticated: () => undefined }))
    routes.add('/bare', ok, [], guard(unregistered))
    routes.add('/strict', ok, [], guard(auth, { exemptMethods: [] }), Options)
    routes.add('/lenient', ok, [], guard(auth), Options)
    Controller()(routes.controller)
    const app = await createNestApp(platform, routes.controller, [auth])
    await app.listen(0, '127.0.0.1')
    return app.getHttpServer()
  }
}

describe.each(Object.entries(apps))('%s loginRequired', (_name, start) => {
  const auth = new AuthSessions({ store: new MemoryStore() })
  let server: Served
  let base = ''
  beforeAll(async () => {
    server = await served(await start(auth))
    base = server.url
  })
  afterAll(async () => {
    await server.close()
    await auth.close()
  })

  it('onUnauthenticated answers instead of the default', async () => {
    const reply = await request(`${base}/custom`)
    expect(reply.status).toBe(404)
    expect(reply.json()).toEqual({ nope: 1 })
  })

  it('an onUnauthenticated that answers nothing leaves the default 401', async () => {
    const reply = await request(`${base}/silent`)
    expect(reply.status).toBe(401)
    expect(reply.json()).toEqual({ error: 'Unauthorized', message: 'Login required' })
  })

  it('OPTIONS passes by default; exemptMethods: [] guards it too', async () => {
    expect((await request(`${base}/lenient`, { method: 'OPTIONS' })).status).toBe(200)
    expect((await request(`${base}/strict`, { method: 'OPTIONS' })).status).toBe(401)
  })

  it('a guard used without latchkey() fails with a usage error, not a silent pass', async () => {
    const reply = await request(`${base}/bare`)
    expect(reply.status).toBe(500)
    expect(reply.body).not.toContain('"ok"')
  })
})

describe.each([
  ['express', expressAdapter.loginRequired],
  ['h3', h3Adapter.loginRequired],
  ['hono', honoAdapter.loginRequired],
  ['koa', koaAdapter.loginRequired],
  ['nest', nestAdapter.loginRequired],
  ['sveltekit', sveltekitAdapter.loginRequired],
] as Array<[string, (auth: unknown, options?: unknown) => unknown]>)(
  '%s loginRequired options',
  (_name, loginRequired) => {
    const auth = new AuthSessions({ store: new MemoryStore() })
    it('are checked when the guard is created', () => {
      const config = expect.objectContaining({ code: 'LATCHKEY_CONFIG' })
      expect(() => loginRequired({ store: auth.store })).toThrow(config)
      expect(() => loginRequired(auth, { redirectTo: 'https://evil.test/' })).toThrow(config)
      expect(() => loginRequired(auth, { onUnauthenticated: 'nope' })).toThrow(config)
      expect(() => loginRequired(auth, { redirectTo: '/login' })).not.toThrow()
    })
  },
)
