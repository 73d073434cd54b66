/** h3-only paths (test/adapters/matrix.test.ts has the shared behaviour). */
import { createServer } from 'node:http'
import { createApp, createRouter, defineEventHandler, type H3Event, toNodeListener } from 'h3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkeyNitro } from '../../src/adapters/h3/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, served } from '../support/http.js'
import { h3 } from './apps/h3.js'
import type { AppData, AppSession, AppUser, RunningApp } from './routes.js'

describe('h3', () => {
  const sessions = new Sessions<AppData>({ store: new MemoryStore(), warnLock: false })
  const auth = new AuthSessions<Record<string, never>, AppUser>({ store: new MemoryStore() })
  let app: RunningApp
  beforeAll(async () => {
    app = await h3.start(sessions, auth)
  })
  afterAll(async () => {
    await app.close()
    await sessions.close()
    await auth.close()
  })

  it('a fetch() response returned from a handler gets the cookie', async () => {
    const jar = new CookieJar()
    const reply = await jar.fetch(`${app.url}/proxied`)
    expect(reply.status).toBe(200)
    expect(reply.json()).toEqual({ hello: 'world' })
    expect(reply.setCookies).toHaveLength(1)
    expect(reply.setCookies[0]).toMatch(/^SESSION=[A-Za-z0-9_-]{43}; /)
    expect((await jar.fetch(`${app.url}/read`)).json()).toMatchObject({ via: 'end' })
  })

  it('a non-Error thrown by a handler still saves and releases a lock the handler never released', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${app.url}/inc`)
    const failed = await jar.fetch(`${app.url}/throw-non-error`)
    expect(failed.status).toBe(500)
    const started = Date.now()
    const next = await jar.fetch(`${app.url}/inc`)
    expect(next.json()).toEqual({ n: 3 })
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

/**
 * The Nitro plugin form on h3 as Nitro 2 wires it: the app's `onRequest`
 * calls the `request` hooks the plugins registered.
 */
describe('h3 latchkeyNitro', () => {
  const sessions = new Sessions<AppData>({ store: new MemoryStore(), warnLock: false })
  let running: RunningApp
  beforeAll(async () => {
    const hooks = new Map<string, Array<(...args: unknown[]) => unknown>>()
    const nitroApp = {
      hooks: {
        hook(name: string, handler: (...args: unknown[]) => unknown) {
          hooks.set(name, [...(hooks.get(name) ?? []), handler])
        },
      },
    }
    latchkeyNitro(sessions)(nitroApp)
    const app = createApp({
      onRequest: async (event) => {
        for (const hook of hooks.get('request') ?? []) await hook(event)
      },
    })
    const session = (event: H3Event) => event.context.session as unknown as AppSession
    const router = createRouter()
      .get(
        '/api/inc',
        defineEventHandler(async (event) => {
          // sessions.of() finds the session in event.context.
          await using s = await sessions.of(event).lock()
          const n = (s.get('n') ?? 0) + 1
          s.set('n', n)
          return { n }
        }),
      )
      .get(
        '/api/fail',
        defineEventHandler(async (event) => {
          await session(event).lock()
          throw new Error('failed while holding the lock')
        }),
      )
    app.use(router)
    const server = createServer(toNodeListener(app))
    server.listen(0, '127.0.0.1')
    running = await served(server)
  })
  afterAll(async () => {
    await running.close()
    await sessions.close()
  })

  it('gives server routes their session, saves it and releases the lock of a failed route', async () => {
    const jar = new CookieJar()
    const first = await jar.fetch(`${running.url}/api/inc`)
    expect(first.json()).toEqual({ n: 1 })
    expect(first.setCookies[0]).toMatch(/^SESSION=[A-Za-z0-9_-]{43}; /)
    expect((await jar.fetch(`${running.url}/api/fail`)).status).toBe(500)
    const started = Date.now()
    expect((await jar.fetch(`${running.url}/api/inc`)).json()).toEqual({ n: 2 })
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
