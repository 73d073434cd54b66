/** Hono-only paths (test/adapters/matrix.test.ts has the shared behaviour). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar } from '../support/http.js'
import { hono } from './apps/hono.js'
import type { AppData, AppUser, RunningApp } from './routes.js'

describe('hono', () => {
  const sessions = new Sessions<AppData>({ store: new MemoryStore(), warnLock: false })
  const auth = new AuthSessions<Record<string, never>, AppUser>({ store: new MemoryStore() })
  let app: RunningApp
  beforeAll(async () => {
    app = await hono.start(sessions, auth)
  })
  afterAll(async () => {
    await app.close()
    await sessions.close()
    await auth.close()
  })

  it('a response with immutable headers (a fetch() passed through) still gets the cookie', async () => {
    const jar = new CookieJar()
    const reply = await jar.fetch(`${app.url}/proxied`)
    expect(reply.status).toBe(200)
    expect(reply.json()).toEqual({ hello: 'world' })
    expect(reply.setCookies).toHaveLength(1)
    expect(reply.setCookies[0]).toMatch(/^SESSION=[A-Za-z0-9_-]{43}; /)
    expect((await jar.fetch(`${app.url}/read`)).json()).toMatchObject({ via: 'end' })
  })

  it('a non-Error thrown past onError still saves and releases a lock the handler never released', async () => {
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
