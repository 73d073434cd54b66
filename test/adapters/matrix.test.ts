/**
 * One behaviour matrix for every framework adapter: the same scenarios, over
 * real HTTP, against an app per framework serving the same routes
 * (test/adapters/routes.ts). Adding a framework = one adapter + one entry here.
 */
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import express5 from 'express'
import express4 from 'express4'
import koa3 from 'koa'
import koa2 from 'koa2'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AuthSessions, Sessions } from '../../src/index.js'
import { CookieJar, type Reply, request } from '../support/http.js'
import { expressFramework } from './apps/express.js'
import { fastify } from './apps/fastify.js'
import { fetchHandler } from './apps/fetch.js'
import { h3 } from './apps/h3.js'
import { hono } from './apps/hono.js'
import { koaFramework } from './apps/koa.js'
import { nestFramework } from './apps/nest.js'
import { reactRouter } from './apps/react-router.js'
import { sveltekit } from './apps/sveltekit.js'
import { OutageStore } from './outage-store.js'
import {
  APP_COOKIE,
  type AppData,
  type AppUser,
  type Framework,
  type RunningApp,
  STREAM_CHUNKS,
} from './routes.js'

const frameworks: Framework[] = [
  fastify,
  expressFramework('express 4', express4),
  expressFramework('express 5', express5),
  hono,
  koaFramework('koa 2', koa2),
  koaFramework('koa 3', koa3),
  fetchHandler,
  h3,
  reactRouter,
  sveltekit,
  nestFramework('express'),
  nestFramework('fastify'),
]

const NEW_COOKIE =
  /^SESSION=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; Expires=[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT; HttpOnly; Secure; SameSite=Lax$/
const NEW_AUTH_COOKIE =
  /^SECURE_SESSION=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; Expires=[^;]+ GMT; HttpOnly; Secure; SameSite=Lax$/
const AUTH_DELETION_COOKIE =
  'SECURE_SESSION=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax'
const DELETION_COOKIE =
  'SESSION=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax'

function sessionCookies(reply: Reply): string[] {
  return reply.setCookies.filter((line) => line.startsWith('SESSION='))
}

/**
 * latchkey's own error answer, the same on every framework and in every mode:
 * this small JSON body, never a framework's error page or a stack.
 */
function expectErrorBody(reply: Reply, body: { error: string; code: string }): void {
  expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8')
  expect(reply.json()).toEqual(body)
}

function sessionValue(reply: Reply): string | undefined {
  return sessionCookies(reply)[0]?.split(';')[0]?.slice('SESSION='.length)
}

describe.each(frameworks)('$name', (framework) => {
  let store: OutageStore
  let authStore: OutageStore
  let app: RunningApp
  let impatientApp: RunningApp
  const managers: Array<{ close: () => Promise<void> }> = []

  beforeAll(async () => {
    store = new OutageStore()
    authStore = new OutageStore()
    const sessions = new Sessions<AppData>({ store, warnLock: false })
    const auth = new AuthSessions<Record<string, never>, AppUser>({ store: authStore })
    const impatient = new Sessions<AppData>({
      store: new OutageStore(),
      warnLock: false,
      lock: { timeout: 0.2 },
    })
    managers.push(sessions, auth, impatient)
    app = await framework.start(sessions, auth)
    impatientApp = await framework.start(impatient, auth)
  })

  afterAll(async () => {
    await app?.close()
    await impatientApp?.close()
    for (const manager of managers) await manager.close()
  })

  const url = (path: string) => `${app.url}${path}`

  describe('cookies', () => {
    it('a new session gets one cookie of the exact secure shape', async () => {
      const reply = await request(url('/set?k=v'))
      expect(reply.status).toBe(200)
      expect(reply.setCookies).toHaveLength(1)
      expect(reply.setCookies[0]).toMatch(NEW_COOKIE)
    })

    it('an unchanged session sends no cookie; a write re-sends the same id once its expiry is due', async () => {
      const jar = new CookieJar()
      const created = await jar.fetch(url('/set?k=v'))
      const id = sessionValue(created)
      const read = await jar.fetch(url('/read'))
      expect(read.status).toBe(200)
      expect(read.setCookies).toEqual([])
      // The browser's copy is current: its expiry is less than touchAfter (1 h) behind.
      const changed = await jar.fetch(url('/set?k=w'))
      expect(changed.status).toBe(200)
      expect(changed.setCookies).toEqual([])
      vi.useFakeTimers({ toFake: ['Date'] })
      try {
        vi.setSystemTime(Date.now() + 3_600_000)
        const refreshed = await jar.fetch(url('/set?k=x'))
        expect(refreshed.setCookies).toHaveLength(1)
        expect(refreshed.setCookies[0]).toMatch(NEW_COOKIE)
        expect(sessionValue(refreshed)).toBe(id)
      } finally {
        vi.useRealTimers()
      }
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ id })
    })

    it('regenerate gives a new id, keeps the data, and the old id stops working', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      const old = jar.get('SESSION')
      const regenerated = await jar.fetch(url('/regenerate'))
      expect(regenerated.setCookies[0]).toMatch(NEW_COOKIE)
      expect(jar.get('SESSION')).not.toBe(old)
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ n: 1 })
      const stale = await request(url('/read'), { cookie: `SESSION=${old}` })
      expect(stale.json()).toMatchObject({ n: null })
    })

    it('destroy sends a deletion cookie that repeats the attributes, and the session is gone', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      const old = jar.get('SESSION')
      const destroyed = await jar.fetch(url('/destroy'))
      expect(destroyed.status).toBe(200)
      expect(destroyed.setCookies).toEqual([DELETION_COOKIE])
      const stale = await request(url('/read'), { cookie: `SESSION=${old}` })
      expect(stale.json()).toEqual({ n: null, via: null, id: null })
      expect(stale.setCookies).toEqual([])
    })

    it('a session cookie is appended to the cookies the app sets itself', async () => {
      const reply = await request(url('/app-cookie'))
      expect(reply.setCookies).toHaveLength(2)
      expect(reply.setCookies).toContain(APP_COOKIE)
      expect(sessionCookies(reply)[0]).toMatch(NEW_COOKIE)
    })
  })

  describe('response paths carry the cookie', () => {
    it('redirect', async () => {
      const jar = new CookieJar()
      const reply = await jar.fetch(url('/redirect'))
      expect(reply.status).toBe(302)
      expect(reply.headers.get('location')).toMatch(/\/read$/)
      expect(sessionCookies(reply)[0]).toMatch(NEW_COOKIE)
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ via: 'redirect' })
    })

    it('stream', async () => {
      const jar = new CookieJar()
      const reply = await jar.fetch(url('/stream'))
      expect(reply.status).toBe(200)
      expect(reply.body).toBe(STREAM_CHUNKS.join(''))
      expect(sessionCookies(reply)[0]).toMatch(NEW_COOKIE)
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ via: 'stream' })
    })

    it('raw end', async () => {
      const jar = new CookieJar()
      const reply = await jar.fetch(url('/end'))
      expect(reply.status).toBe(200)
      expect(reply.body).toBe('ok')
      expect(sessionCookies(reply)[0]).toMatch(NEW_COOKIE)
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ via: 'end' })
    })
  })

  describe('locking', () => {
    it('500 concurrent locked increments of one session lose none', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      const replies = await Promise.all(Array.from({ length: 500 }, () => jar.fetch(url('/inc'))))
      expect(replies.every((reply) => reply.status === 200)).toBe(true)
      const seen = replies.map((reply) => reply.json<{ n: number }>().n).sort((a, b) => a - b)
      expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 2))
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ n: 501 })
    })

    it('responding inside the lock saves each request once, none lost, with a slow store', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      const commits = store.calls.commit
      store.commitLatency = 2
      const replies = await Promise.all(
        Array.from({ length: 100 }, () => jar.fetch(url('/respond-in-lock'))),
      ).finally(() => {
        store.commitLatency = 0
      })
      expect(replies.every((reply) => reply.status === 200)).toBe(true)
      expect(store.calls.commit - commits).toBe(100)
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ n: 101 })
    })

    it('an error inside the lock answers 500, saves and releases the lock', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      const failed = await jar.fetch(url('/throw-in-lock'))
      expect(failed.status).toBe(500)
      const started = Date.now()
      const next = await jar.fetch(url('/inc'))
      expect(next.status).toBe(200)
      expect(next.json()).toEqual({ n: 3 })
      expect(Date.now() - started).toBeLessThan(1000)
    })

    it('a lock held past lock.timeout answers 503 with Retry-After, then recovers', async () => {
      const jar = new CookieJar()
      await jar.fetch(`${impatientApp.url}/inc`)
      const holder = jar.fetch(`${impatientApp.url}/slow-lock?ms=800`)
      await sleep(150)
      const waiting = await jar.fetch(`${impatientApp.url}/inc`)
      expect(waiting.status).toBe(503)
      expect(waiting.headers.get('retry-after')).toBe('1')
      expectErrorBody(waiting, { error: 'Service Unavailable', code: 'LATCHKEY_LOCK_TIMEOUT' })
      expect(waiting.setCookies).toEqual([])
      expect((await holder).status).toBe(200)
      const after = await jar.fetch(`${impatientApp.url}/inc`)
      expect(after.status).toBe(200)
      expect(after.json()).toEqual({ n: 2 })
    })
  })

  it('a usage error (a value that is not JSON) answers 500 and saves nothing', async () => {
    const jar = new CookieJar()
    await jar.fetch(url('/inc'))
    const failed = await jar.fetch(url('/set-invalid'))
    expect(failed.status).toBe(500)
    expectErrorBody(failed, { error: 'Internal Server Error', code: 'LATCHKEY_USAGE' })
    expect(failed.setCookies).toEqual([])
    expect((await jar.fetch(url('/read'))).json()).toMatchObject({ n: 1 })
  })

  describe('store outage', () => {
    it('while saving: 503 JSON with Retry-After replaces the response, no cookie; then recovers', async () => {
      store.down = true
      const failed = await request(url('/set?k=v')).finally(() => {
        store.down = false
      })
      expect(failed.status).toBe(503)
      expect(failed.headers.get('retry-after')).toBe('1')
      expect(failed.json()).toEqual({ error: 'Service Unavailable', code: 'LATCHKEY_STORE' })
      expect(failed.setCookies).toEqual([])
      const recovered = await request(url('/set?k=v'))
      expect(recovered.status).toBe(200)
      expect(recovered.setCookies[0]).toMatch(NEW_COOKIE)
    })

    it('while a handler reads: 503 with Retry-After', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      store.down = true
      const failed = await jar.fetch(url('/read')).finally(() => {
        store.down = false
      })
      expect(failed.status).toBe(503)
      expect(failed.headers.get('retry-after')).toBe('1')
      expectErrorBody(failed, { error: 'Service Unavailable', code: 'LATCHKEY_STORE' })
      expect(failed.setCookies).toEqual([])
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ n: 1 })
    })
  })

  describe('requests that do not use the session', () => {
    it('a 404 sends no cookie, does no store I/O, and leaves the session intact', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      const before = store.total
      const missing = await jar.fetch(url('/no-such-route'))
      expect(missing.status).toBe(404)
      expect(missing.setCookies).toEqual([])
      expect(store.total).toBe(before)
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ n: 1 })
    })

    it('a route that never touches the session does no store I/O, with or without a cookie', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/inc'))
      const before = store.total
      const anonymous = await request(url('/hello'))
      const known = await jar.fetch(url('/hello'))
      expect([anonymous.status, known.status]).toEqual([200, 200])
      expect([...anonymous.setCookies, ...known.setCookies]).toEqual([])
      expect(store.total).toBe(before)
    })
  })

  describe('login, logout and the guard', () => {
    it('without login the guard answers 401 JSON, sends no cookie and reads no store', async () => {
      const before = authStore.total
      const reply = await request(url('/me'))
      expect(reply.status).toBe(401)
      expect(reply.json()).toEqual({ error: 'Unauthorized', message: 'Login required' })
      expect(reply.headers.get('cache-control')).toBe('no-store')
      expect(reply.setCookies).toEqual([])
      expect(authStore.total).toBe(before)
    })

    it('with redirectTo the guard redirects with the requested path and query in next', async () => {
      const reply = await request(url('/account?tab=2&x=%2F'))
      expect(reply.status).toBe(303)
      expect(reply.headers.get('location')).toBe('/login?next=%2Faccount%3Ftab%3D2%26x%3D%252F')
      expect(reply.setCookies).toEqual([])
    })

    it('login sets the auth cookie beside the session cookie; the guard then lets the user in', async () => {
      const jar = new CookieJar()
      const login = await jar.fetch(url('/login?user=ada'))
      expect(login.status).toBe(200)
      expect(login.setCookies).toHaveLength(2)
      expect(login.setCookies.find((c) => c.startsWith('SECURE_SESSION='))).toMatch(NEW_AUTH_COOKIE)
      expect(sessionCookies(login)[0]).toMatch(NEW_COOKIE)
      for (const path of ['/me', '/account']) {
        const reply = await jar.fetch(url(path))
        expect(reply.status).toBe(200)
        expect(reply.json()).toEqual({ user: { id: 'ada', name: 'ada' } })
        expect(reply.setCookies).toEqual([])
      }
      expect((await jar.fetch(url('/read'))).json()).toMatchObject({ via: 'login' })
    })

    it('login gives a fresh id: the auth cookie held before login stops working', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/login?user=ada'))
      const first = jar.get('SECURE_SESSION')
      await jar.fetch(url('/login?user=grace'))
      expect(jar.get('SECURE_SESSION')).not.toBe(first)
      expect((await jar.fetch(url('/me'))).json()).toEqual({ user: { id: 'grace', name: 'grace' } })
      const stale = await request(url('/me'), { cookie: `SECURE_SESSION=${first}` })
      expect(stale.status).toBe(401)
    })

    it('logout sends the deletion cookie; the guard closes again, also for the old cookie', async () => {
      const jar = new CookieJar()
      await jar.fetch(url('/login?user=ada'))
      const old = jar.get('SECURE_SESSION')
      const logout = await jar.fetch(url('/logout'))
      expect(logout.status).toBe(200)
      expect(logout.setCookies).toEqual([AUTH_DELETION_COOKIE])
      expect((await jar.fetch(url('/me'))).status).toBe(401)
      const replay = await request(url('/me'), { cookie: `SECURE_SESSION=${old}` })
      expect(replay.status).toBe(401)
      expect(replay.setCookies).toEqual([])
    })
  })

  describe('bad cookies give a new, empty session', () => {
    const valid = async () => {
      const reply = await request(url('/inc'))
      return sessionValue(reply) as string
    }
    const cases: Array<[string, () => Promise<string>]> = [
      [
        'tampered',
        async () => {
          const value = await valid()
          return `SESSION=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`
        },
      ],
      ['unknown', async () => `SESSION=${randomBytes(32).toString('base64url')}`],
      ['malformed', async () => 'SESSION=%E0%A4%A; other="unterminated'],
      ['empty', async () => 'SESSION='],
      ['oversized', async () => `SESSION=${'x'.repeat(6000)}`],
    ]
    it.each(cases)('%s', async (_label, cookie) => {
      const header = await cookie()
      const reply = await request(url('/inc'), { cookie: header })
      expect(reply.status).toBe(200)
      expect(reply.json()).toEqual({ n: 1 })
      expect(reply.setCookies[0]).toMatch(NEW_COOKIE)
      expect(`SESSION=${sessionValue(reply)}`).not.toBe(header)
    })
  })
})
