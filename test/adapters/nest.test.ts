/**
 * What latchkey/nest adds beyond the behaviour matrix, on both Nest
 * platforms: why `SessionErrorFilter` exists (Nest's own answer to a session
 * error), the filter beside a catch-all filter of the app's, and a store
 * outage met by the guard.
 */
import type { AddressInfo } from 'node:net'
import type { ArgumentsHost, ExceptionFilter, INestApplication } from '@nestjs/common'
import { Controller, Req, Session, UseGuards } from '@nestjs/common'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginRequired, SessionErrorFilter } from '../../src/adapters/nest/index.js'
import { type NestResponse, send } from '../../src/adapters/nest/response.js'
import { AuthSessions, type Session as LatchkeySession, Sessions } from '../../src/index.js'
import { CookieJar, request } from '../support/http.js'
import { createNestApp, type Platform, Routes } from './apps/nest.js'
import { OutageStore } from './outage-store.js'

/** A catch-all filter of the app's own: answers 418 to whatever reaches it. */
class CatchAll implements ExceptionFilter {
  catch(_error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<NestResponse>()
    send(res, 418, { 'content-type': 'application/json' }, JSON.stringify({ caught: true }))
  }
}

describe.each(['express', 'fastify'] as Platform[])('Nest (%s)', (platform) => {
  const store = new OutageStore()
  const authStore = new OutageStore()
  const sessions = new Sessions({ store, warnLock: false })
  const auth = new AuthSessions({ store: authStore })
  const apps: INestApplication[] = []

  function controller(): new () => object {
    const routes = new Routes(class OutageController {})
    routes.add('/read', async (session: LatchkeySession) => ({ n: await session.get('n') }), [
      Session(),
    ])
    routes.add('/boom', () => {
      throw new Error('boom')
    }, [])
    routes.add(
      '/set',
      async (session: LatchkeySession) => {
        await session.set('n', 1)
        return { ok: true }
      },
      [Session()],
    )
    routes.add(
      '/login',
      async (req: object) => {
        await auth.of(req).login({ id: 'ada' })
        return { ok: true }
      },
      [Req()],
    )
    routes.add(
      '/me',
      async (req: object) => ({ user: await auth.of(req).currentUser() }),
      [Req()],
      [UseGuards(loginRequired(auth))],
    )
    Controller()(routes.controller)
    return routes.controller
  }

  async function start(filters: ExceptionFilter[]): Promise<string> {
    const app = await createNestApp(platform, controller(), [sessions, auth], filters)
    apps.push(app)
    await app.listen(0, '127.0.0.1')
    const { port } = app.getHttpServer().address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  let withFilter = ''
  let withoutFilter = ''
  let besideCatchAll = ''
  beforeAll(async () => {
    withFilter = await start([new SessionErrorFilter()])
    withoutFilter = await start([])
    besideCatchAll = await start([new CatchAll(), new SessionErrorFilter()])
  })
  afterAll(async () => {
    for (const app of apps) await app.close()
    await sessions.close()
    await auth.close()
  })

  /** A session stored in `store`, then `path` requested with its cookie while `down` is down. */
  async function duringOutage(base: string, path: string, down: OutageStore) {
    const jar = new CookieJar()
    await jar.fetch(`${base}/set`)
    await jar.fetch(`${base}/login`)
    down.down = true
    try {
      return await jar.fetch(`${base}${path}`)
    } finally {
      down.down = false
    }
  }

  const LATCHKEY_STORE = { error: 'Service Unavailable', code: 'LATCHKEY_STORE' }

  it('without SessionErrorFilter, Nest answers a store outage 500 with its own body', async () => {
    const reply = await duringOutage(withoutFilter, '/read', store)
    expect(reply.status).toBe(500)
    expect(reply.json()).toEqual({ statusCode: 500, message: 'Internal server error' })
    expect(reply.headers.get('retry-after')).toBeNull()
  })

  it("with it, the outage answers 503 with Retry-After and latchkey's JSON", async () => {
    const reply = await duringOutage(withFilter, '/read', store)
    expect(reply.status).toBe(503)
    expect(reply.headers.get('retry-after')).toBe('1')
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(reply.json()).toEqual(LATCHKEY_STORE)
  })

  it('registered after a catch-all filter, it answers session errors and the catch-all the rest', async () => {
    const outage = await duringOutage(besideCatchAll, '/read', store)
    expect(outage.status).toBe(503)
    expect(outage.json()).toEqual(LATCHKEY_STORE)
    const other = await request(`${besideCatchAll}/boom`)
    expect(other.status).toBe(418)
    expect(other.json()).toEqual({ caught: true })
  })

  it('an auth store outage met by the guard answers 503, not a pass or a 401', async () => {
    const reply = await duringOutage(withFilter, '/me', authStore)
    expect(reply.status).toBe(503)
    expect(reply.json()).toEqual(LATCHKEY_STORE)
  })
})
