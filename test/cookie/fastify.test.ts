import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { hashSessionId, Sessions, type SessionsOptions } from '../../src/index.js'
import { CookieStore, generateKey } from '../../src/stores/cookie/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, listen, type Reply, request } from '../support/http.js'

const COOKIE = { domain: 'example.test', path: '/app', sameSite: 'strict' } as const
const TOKEN_COOKIE =
  /^SESSION=gAAAAA[A-Za-z0-9_-]+={0,2}; Max-Age=\d+; Domain=example\.test; Path=\/app; Expires=[^;]+ GMT; HttpOnly; Secure; SameSite=Strict$/

interface App {
  base: string
  store: CookieStore
  sessions: Sessions<{ n: number; blob: string }>
}

const apps: FastifyInstance[] = []

async function start(
  keys: string | string[],
  options: Partial<SessionsOptions> = {},
): Promise<App> {
  const store = new CookieStore({ keys })
  const sessions = new Sessions<{ n: number; blob: string }>({
    store,
    cookie: COOKIE,
    warnLock: false,
    ...options,
  })
  const app = Fastify()
  apps.push(app)
  await app.register(latchkey(sessions))
  app.get('/app/inc', async (req) => {
    await using s = await req.session.lock()
    s.set('n', ((s.get('n') as number | undefined) ?? 0) + 1)
    return { n: s.get('n'), id: s.id ?? null }
  })
  app.get('/app/read', async (req) => ({ n: (await req.session.get('n')) ?? null }))
  app.get('/app/noop', async () => ({ ok: true }))
  app.post('/app/login', async (req) => {
    await req.session.regenerate()
    return { ok: true }
  })
  app.post('/app/logout', async (req) => {
    await req.session.destroy()
    return { ok: true }
  })
  app.post<{ Body: { size: number } }>('/app/blob', async (req) => {
    await req.session.withLock((s) => s.set('blob', 'x'.repeat(req.body.size)))
    return { ok: true }
  })
  const base = await listen(app)
  return { base, store, sessions }
}

/** The record a response's cookie carries, opened with `store`. */
function opened(reply: Reply, store: CookieStore) {
  const value = reply.setCookies[0]?.split(';')[0]?.slice('SESSION='.length) ?? ''
  return store.unseal(value, 3600)
}

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()))
})

afterEach(() => {
  vi.useRealTimers()
})

describe('CookieStore with Fastify over HTTP', () => {
  const key = generateKey()
  let app: App
  beforeAll(async () => {
    app = await start(key)
  })

  it('sets a Fernet token cookie for a new session, with the configured attributes', async () => {
    const jar = new CookieJar()
    const reply = await jar.fetch(`${app.base}/app/inc`)
    expect(reply.status).toBe(200)
    expect(reply.setCookies).toHaveLength(1)
    expect(reply.setCookies[0]).toMatch(TOKEN_COOKIE)
    const sealed = opened(reply, app.store)
    expect(sealed?.record.data).toEqual({ n: 1 })
    expect(sealed?.record.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(sealed?.stale).toBe(false)
  })

  it('increments under the lock, request after request, without server state', async () => {
    const jar = new CookieJar()
    for (let i = 1; i <= 20; i++) {
      const reply = await jar.fetch(`${app.base}/app/inc`)
      expect(reply.json()).toMatchObject({ n: i })
      expect(reply.setCookies[0]).toMatch(TOKEN_COOKIE)
    }
    const read = await jar.fetch(`${app.base}/app/read`)
    expect(read.json()).toEqual({ n: 20 })
    expect(read.setCookies).toEqual([])
  })

  it('regenerate() issues a token with a new id and the same data', async () => {
    const jar = new CookieJar()
    const first = await jar.fetch(`${app.base}/app/inc`)
    const login = await jar.fetch(`${app.base}/app/login`, { method: 'POST' })
    expect(login.setCookies[0]).toMatch(TOKEN_COOKIE)
    const before = opened(first, app.store)?.record
    const after = opened(login, app.store)?.record
    expect(after?.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(after?.id).not.toBe(before?.id)
    expect(after?.data).toEqual({ n: 1 })
    expect((await jar.fetch(`${app.base}/app/inc`)).json()).toMatchObject({ n: 2, id: after?.id })
  })

  it('destroy() sends a deletion cookie repeating Domain, Path, Secure and SameSite', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${app.base}/app/inc`)
    const logout = await jar.fetch(`${app.base}/app/logout`, { method: 'POST' })
    expect(logout.setCookies).toEqual([
      'SESSION=; Max-Age=0; Domain=example.test; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict',
    ])
    expect(jar.header).toBeUndefined()
    expect((await jar.fetch(`${app.base}/app/read`)).json()).toEqual({ n: null })
  })

  it('reads a Python-style quoted cookie value', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${app.base}/app/inc`)
    const token = jar.get('SESSION')
    const read = await request(`${app.base}/app/read`, { cookie: `SESSION="${token}"` })
    expect(read.json()).toEqual({ n: 1 })
  })

  it.each([
    ['garbage', () => 'SESSION=not-a-token'],
    ['an empty value', () => 'SESSION='],
    ['a foreign key', () => `SESSION=${new CookieStore({ keys: generateKey() }).seal(live())}`],
    [
      'a tampered token',
      () => {
        const token = app.store.seal(live())
        const middle = Math.floor(token.length / 2)
        const swapped = token[middle] === 'A' ? 'B' : 'A'
        return `SESSION=${token.slice(0, middle)}${swapped}${token.slice(middle + 1)}`
      },
    ],
    ['a truncated token', () => `SESSION=${app.store.seal(live()).slice(0, 80)}`],
  ])('answers 200 with an empty session for %s', async (_, cookie) => {
    const read = await request(`${app.base}/app/read`, { cookie: cookie() })
    expect(read.status).toBe(200)
    expect(read.json()).toEqual({ n: null })
    expect(read.setCookies).toEqual([])
    const inc = await request(`${app.base}/app/inc`, { cookie: cookie() })
    expect(inc.json()).toMatchObject({ n: 1 })
  })

  it('lets a mirror key the record by the id inside the token', async () => {
    const mirror = new MemoryStore()
    const withMirror = await start(key, { mirrors: [mirror] })
    const reply = await request(`${withMirror.base}/app/inc`)
    const id = opened(reply, withMirror.store)?.record.id ?? ''
    expect((await mirror.get(hashSessionId(id)))?.data).toEqual({ n: 1 })
    await mirror.close()
  })
})

function live() {
  const now = Date.now()
  return {
    data: { n: 41 },
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + 60_000,
    id: 'a'.repeat(43),
  }
}

describe('key rotation', () => {
  it('re-issues a cookie sealed under an old key under the first key', async () => {
    const [oldKey, newKey] = [generateKey(), generateKey()]
    const before = await start(oldKey)
    const after = await start([newKey, oldKey])
    const jar = new CookieJar()
    await jar.fetch(`${before.base}/app/inc`)

    const read = await jar.fetch(`${after.base}/app/read`)
    expect(read.json()).toEqual({ n: 1 })
    expect(read.setCookies[0]).toMatch(TOKEN_COOKIE)
    expect(opened(read, new CookieStore({ keys: newKey }))?.record.data).toEqual({ n: 1 })
    expect(opened(read, new CookieStore({ keys: oldKey }))).toBeUndefined()

    // Under the current key now: nothing more to re-issue on a read.
    expect((await jar.fetch(`${after.base}/app/read`)).setCookies).toEqual([])
    expect((await jar.fetch(`${after.base}/app/inc`)).json()).toMatchObject({ n: 2 })
  })

  it('re-issues even when the handler does not use the session', async () => {
    const [oldKey, newKey] = [generateKey(), generateKey()]
    const before = await start(oldKey)
    const after = await start([newKey, oldKey])
    const jar = new CookieJar()
    await jar.fetch(`${before.base}/app/inc`)
    const noop = await jar.fetch(`${after.base}/app/noop`)
    expect(opened(noop, new CookieStore({ keys: newKey }))?.record.data).toEqual({ n: 1 })
  })
})

describe('expiry with a controlled clock', () => {
  const T0 = Date.parse('2030-01-01T00:00:00Z')

  it('ends a session ttl seconds after its last write or touch', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const app = await start(generateKey(), { ttl: 60, touchAfter: 30 })
    const read = (cookie: string | undefined) =>
      request(`${app.base}/app/read`, cookie === undefined ? {} : { cookie })
    const written = (await request(`${app.base}/app/inc`)).setCookies[0]?.split(';')[0]

    vi.setSystemTime(T0 + 40_000)
    const touch = await read(written)
    expect(touch.json()).toEqual({ n: 1 })
    expect(touch.setCookies[0]).toMatch(/Max-Age=60;/)
    const touched = touch.setCookies[0]?.split(';')[0]

    vi.setSystemTime(T0 + 90_000)
    const expired = await read(written)
    expect(expired.status).toBe(200)
    expect(expired.json()).toEqual({ n: null })
    expect((await read(touched)).json()).toEqual({ n: 1 })

    vi.setSystemTime(T0 + 40_000 + 61_000)
    expect((await read(touched)).json()).toEqual({ n: null })
  })

  it('ends a session at its absolute timeout whatever the activity', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(T0)
    const app = await start(generateKey(), { ttl: 60, absoluteTimeout: 100 })
    const jar = new CookieJar()
    for (const seconds of [0, 50, 99]) {
      vi.setSystemTime(T0 + seconds * 1000)
      expect((await jar.fetch(`${app.base}/app/inc`)).status).toBe(200)
    }
    expect((await jar.fetch(`${app.base}/app/read`)).json()).toEqual({ n: 3 })
    vi.setSystemTime(T0 + 100_000)
    expect((await jar.fetch(`${app.base}/app/read`)).json()).toEqual({ n: null })
  })

  it('refuses a token dated more than 60 s ahead of this server', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const app = await start(generateKey(), { ttl: 3600 })
    vi.setSystemTime(T0 + 61_000)
    const ahead = await request(`${app.base}/app/inc`)
    vi.setSystemTime(T0)
    const cookie = ahead.setCookies[0]?.split(';')[0] ?? ''
    expect(cookie).toMatch(/^SESSION=gAAAAA/)
    expect((await request(`${app.base}/app/read`, { cookie })).json()).toEqual({ n: null })
  })
})

describe('size guard', () => {
  let app: App
  beforeAll(async () => {
    app = await start(generateKey())
  })

  it('keeps a session that fits in 4096 bytes', async () => {
    const reply = await request(`${app.base}/app/blob`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ size: 2500 }),
    })
    expect(reply.status).toBe(200)
    expect(reply.setCookies[0]?.length).toBeLessThanOrEqual(4096)
  })

  it('answers a session that does not fit with a 500 JSON error, not a dropped cookie', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${app.base}/app/inc`)
    const reply = await jar.fetch(`${app.base}/app/blob`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ size: 4000 }),
    })
    expect(reply.status).toBe(500)
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
    expect(reply.json()).toEqual({
      error: 'Internal Server Error',
      code: 'LATCHKEY_COOKIE_TOO_LARGE',
    })
    expect(reply.setCookies).toEqual([])
    // The browser keeps its previous, still valid cookie.
    expect((await jar.fetch(`${app.base}/app/read`)).json()).toEqual({ n: 1 })
  })

  it('names the size in the error raised at commit', async () => {
    const session = app.sessions.open({ cookie: undefined })
    await session.withLock((s) => s.set('blob', 'x'.repeat(4000)))
    const error = await session.commit().catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'LATCHKEY_COOKIE_TOO_LARGE', statusCode: 500 })
    const { size, message } = error as { size: number; message: string }
    expect(size).toBeGreaterThan(4096)
    expect(message).toContain(`${size} bytes`)
    expect(message).toContain('4096-byte limit')
  })
})
