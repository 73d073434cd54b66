import { setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { hashSessionId } from '../../src/crypto/ids.js'
import { Sessions } from '../../src/index.js'
import { CountingStore } from '../support/counting-store.js'
import { CookieJar, cookiePair, listen, request } from '../support/http.js'

type Counter = { n: number; note: string }

async function app(sessions: Sessions<Counter>): Promise<{ app: FastifyInstance; base: string }> {
  const fastify = Fastify()
  await fastify.register(latchkey(sessions))
  fastify.get('/inc', async (req) => {
    await using s = await req.session.lock()
    const n = Number(s.get('n') ?? 0) + 1
    s.set('n', n)
    return { n }
  })
  fastify.get('/inc-unlocked', async (req) => {
    const n = Number((await req.session.get('n')) ?? 0) + 1
    await sleep(5) // a handler doing some work between read and write
    await req.session.set('n', n)
    return { n }
  })
  fastify.get('/read', async (req) => ({
    n: (await req.session.get('n')) ?? null,
    id: req.session.id ?? null,
  }))
  fastify.get('/nothing', async () => ({ ok: true }))
  fastify.get('/set', async (req) => {
    await req.session.withLock((s) => s.set('note', String((req.query as { v?: string }).v)))
    return { ok: true }
  })
  fastify.get('/regenerate', async (req) => {
    await req.session.regenerate()
    return { id: req.session.id }
  })
  fastify.get('/destroy', async (req) => {
    await req.session.destroy()
    return { ok: true }
  })
  fastify.get('/throw-in-lock', async (req) => {
    await using s = await req.session.lock()
    s.set('n', 1000)
    throw new Error('boom')
  })
  fastify.get('/hold', async (req) => {
    await req.session.withLock(async (s) => {
      s.set('note', 'held')
      await sleep(Number((req.query as { ms?: string }).ms ?? 1000))
    })
    return { ok: true }
  })
  fastify.get('/nested', async (req) => {
    await using outer = await req.session.lock()
    outer.set('n', 1)
    await using inner = await req.session.lock()
    inner.set('n', Number(inner.get('n')) + 1)
    return { n: inner.get('n'), before: await req.session.get('n') }
  })
  fastify.get('/note', async (req) => ({ note: (await req.session.get('note')) ?? null }))
  fastify.get('/hijack-write', async (req, reply) => {
    await req.session.set('note', 'before hijack')
    reply.hijack()
    reply.raw.writeHead(200, { 'content-type': 'text/plain' })
    reply.raw.end('raw')
  })
  fastify.get('/hijack-in-lock', async (req, reply) => {
    // A lock the handler never releases (a bug), then a reply written by hand.
    const s = await req.session.lock()
    s.set('n', 77)
    reply.hijack()
    reply.raw.end('raw')
  })
  // How many 'close' listeners the response gains while the handler uses the session.
  fastify.get('/watchers', async (req, reply) => {
    const before = reply.raw.listenerCount('close')
    const { use } = req.query as { use?: string }
    if (use === 'read') await req.session.get('n')
    if (use === 'withLock') await req.session.withLock((s) => s.set('note', 'locked'))
    if (use === 'set') await req.session.set('note', 'unlocked')
    return { added: reply.raw.listenerCount('close') - before }
  })
  return { app: fastify, base: await listen(fastify) }
}

const store = new CountingStore()
const sessions = new Sessions<Counter>({ store, warnLock: false, lock: { timeout: 0.3 } })
let server: { app: FastifyInstance; base: string }

beforeAll(async () => {
  server = await app(sessions)
})
afterAll(async () => {
  await server.app.close()
  await store.close()
})
afterEach(() => {
  vi.useRealTimers()
})

async function newSession(jar = new CookieJar()): Promise<CookieJar> {
  await jar.fetch(`${server.base}/inc`)
  return jar
}

describe('locking over real HTTP', () => {
  it('500 concurrent locked increments of one session end with n = 500', async () => {
    const jar = await newSession()
    const cookie = jar.header
    await Promise.all(
      Array.from({ length: 499 }, () =>
        request(`${server.base}/inc`, cookie === undefined ? {} : { cookie }),
      ),
    )
    expect((await jar.fetch(`${server.base}/read`)).json()).toMatchObject({ n: 500 })
  })

  it('the same load without the lock loses updates (the contrast the lock removes)', async () => {
    const jar = await newSession()
    const cookie = jar.header
    const replies = await Promise.all(
      Array.from({ length: 499 }, () =>
        request(`${server.base}/inc-unlocked`, cookie === undefined ? {} : { cookie }),
      ),
    )
    expect(replies.every((r) => r.status === 200)).toBe(true)
    const { n } = (await jar.fetch(`${server.base}/read`)).json<{ n: number }>()
    expect(n).toBeLessThan(500)
  })

  it('a handler that throws inside the lock releases it (and saves what it wrote)', async () => {
    const jar = await newSession()
    expect((await jar.fetch(`${server.base}/throw-in-lock`)).status).toBe(500)
    const next = await jar.fetch(`${server.base}/inc`)
    expect(next.status).toBe(200)
    expect(next.json()).toEqual({ n: 1001 })
  })

  it('a waiter past lock.timeout gets 503 with Retry-After instead of hanging', async () => {
    const jar = await newSession()
    const holding = jar.fetch(`${server.base}/hold?ms=1500`)
    await sleep(100)
    const started = Date.now()
    const waiter = await jar.fetch(`${server.base}/inc`)
    const waited = Date.now() - started
    expect(waiter.status).toBe(503)
    expect(waiter.headers.get('retry-after')).toBe('1')
    expect(waiter.json()).toMatchObject({ code: 'LATCHKEY_LOCK_TIMEOUT' })
    expect(waited).toBeLessThan(1200)
    expect((await holding).status).toBe(200)
    expect((await jar.fetch(`${server.base}/inc`)).status).toBe(200)
  })

  it('a hijacked reply still saves unlocked writes and releases a lock left held, once it ends', async () => {
    const jar = await newSession()
    const raw = await jar.fetch(`${server.base}/hijack-write`)
    expect(raw.status).toBe(200)
    expect(raw.body).toBe('raw')
    expect(raw.setCookies).toEqual([]) // the app wrote the headers: no cookie can join them
    expect((await jar.fetch(`${server.base}/note`)).json()).toEqual({ note: 'before hijack' })
    expect((await jar.fetch(`${server.base}/hijack-in-lock`)).body).toBe('raw')
    const next = await jar.fetch(`${server.base}/inc`)
    expect(next.status).toBe(200)
    expect(next.json()).toEqual({ n: 78 })
  })

  it("watches the response's end only when the session is left with work for it", async () => {
    const jar = await newSession()
    const added = async (use: string) =>
      (await jar.fetch(`${server.base}/watchers?use=${use}`)).json<{ added: number }>().added
    expect(await added('none')).toBe(0)
    expect(await added('read')).toBe(0)
    expect(await added('withLock')).toBe(0)
    expect(await added('set')).toBe(1)
    expect((await jar.fetch(`${server.base}/note`)).json()).toEqual({ note: 'unlocked' })
  })

  it('a hijacked reply finishes sessions that hooks before the plugin used', async () => {
    const fastify = Fastify()
    fastify.addHook('onRequest', async (req) => {
      // Registered before latchkey: this hook runs before the plugin knows the reply.
      if (req.url === '/early') await req.session.set('note', 'from an early hook')
    })
    await fastify.register(latchkey(sessions))
    fastify.get('/early', async (_req, reply) => {
      reply.hijack()
      reply.raw.end('raw')
    })
    fastify.get('/note', async (req) => ({ note: (await req.session.get('note')) ?? null }))
    const base = await listen(fastify)
    try {
      const jar = new CookieJar()
      await jar.fetch(`${server.base}/inc`)
      expect((await jar.fetch(`${base}/early`)).body).toBe('raw')
      await vi.waitFor(async () =>
        expect((await jar.fetch(`${base}/note`)).json()).toEqual({ note: 'from an early hook' }),
      )
    } finally {
      await fastify.close()
    }
  })

  it('a nested lock in the same request joins the held one', async () => {
    const jar = await newSession()
    const reply = await jar.fetch(`${server.base}/nested`)
    expect(reply.json()).toEqual({ n: 2, before: 2 })
    expect((await jar.fetch(`${server.base}/read`)).json()).toMatchObject({ n: 2 })
  })
})

describe('cookies and store traffic', () => {
  const now = new Date('2026-11-25T12:00:00.000Z')
  const persistent =
    'Max-Age=2592000; Path=/; Expires=Fri, 25 Dec 2026 12:00:00 GMT; HttpOnly; Secure; SameSite=Lax'
  const deletion =
    'SESSION=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax'

  it('sets exact cookies for new, changed, unchanged, regenerated and destroyed sessions', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now)
    const jar = new CookieJar()
    const created = await jar.fetch(`${server.base}/inc`)
    const id = jar.get('SESSION') ?? ''
    expect(created.setCookies).toEqual([`SESSION=${id}; ${persistent}`])

    // The browser's cookie is still current: a write re-sends it only once its
    // expiry is touchAfter (here 1 h) behind the session's.
    const changed = await jar.fetch(`${server.base}/set?v=x`)
    expect(changed.setCookies).toEqual([])
    vi.setSystemTime(now.getTime() + 3_600_000)
    const refreshed = await jar.fetch(`${server.base}/set?v=y`)
    expect(refreshed.setCookies).toEqual([
      `SESSION=${id}; ${persistent.replace('12:00:00', '13:00:00')}`,
    ])
    expect((await jar.fetch(`${server.base}/set?v=z`)).setCookies).toEqual([])

    const unchanged = await jar.fetch(`${server.base}/read`)
    expect(unchanged.setCookies).toEqual([])

    const regenerated = await jar.fetch(`${server.base}/regenerate`)
    const newId = jar.get('SESSION') ?? ''
    expect(newId).not.toBe(id)
    expect(regenerated.json()).toEqual({ id: newId })
    expect(regenerated.setCookies).toEqual([
      `SESSION=${newId}; ${persistent.replace('12:00:00', '13:00:00')}`,
    ])
    expect(
      (await request(`${server.base}/read`, { cookie: `SESSION=${id}` })).json(),
    ).toMatchObject({ n: null })
    expect((await jar.fetch(`${server.base}/read`)).json()).toMatchObject({ n: 1 })

    const destroyed = await jar.fetch(`${server.base}/destroy`)
    expect(destroyed.setCookies).toEqual([deletion])
    expect(
      (await request(`${server.base}/read`, { cookie: `SESSION=${newId}` })).json(),
    ).toMatchObject({ n: null })
  })

  it('repeats Domain and Path on the deletion cookie so the browser really drops it', async () => {
    const scoped = new Sessions({
      store: new CountingStore(),
      warnLock: false,
      cookie: { domain: 'example.com', path: '/app', sameSite: 'strict' },
    })
    const fastify = Fastify()
    await fastify.register(latchkey(scoped))
    fastify.get('/app/login', async (req) =>
      req.session.withLock((s) => s.set('u', 1)).then(() => ({})),
    )
    fastify.get('/app/logout', async (req) => req.session.destroy().then(() => ({})))
    const base = await listen(fastify)
    const jar = new CookieJar()
    const login = await jar.fetch(`${base}/app/login`)
    expect(login.setCookies[0]).toMatch(
      /; Domain=example\.com; Path=\/app; Expires=.*; HttpOnly; Secure; SameSite=Strict$/,
    )
    const logout = await jar.fetch(`${base}/app/logout`)
    expect(logout.setCookies).toEqual([
      'SESSION=; Max-Age=0; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict',
    ])
    await fastify.close()
  })

  it('routes that never touch the session, and 404s, cause no store I/O and no cookie', async () => {
    const jar = await newSession()
    store.reset()
    const nothing = await jar.fetch(`${server.base}/nothing`)
    const missing = await jar.fetch(`${server.base}/no-such-page`)
    expect(nothing.setCookies).toEqual([])
    expect(missing.status).toBe(404)
    expect(missing.setCookies).toEqual([])
    expect(store.total).toBe(0)
    expect((await jar.fetch(`${server.base}/read`)).json()).toMatchObject({ n: 1 })
  })

  it('a read-only request reads the primary once and writes nothing', async () => {
    const jar = await newSession()
    store.reset()
    await jar.fetch(`${server.base}/read`)
    expect(store.calls).toEqual({ get: 1, set: 0, delete: 0, touch: 0, lock: 0, commit: 0 })
  })

  it('a locked increment costs two store calls: lock+read, then write+unlock', async () => {
    const jar = await newSession()
    store.reset()
    await jar.fetch(`${server.base}/inc`)
    expect(store.calls).toEqual({ get: 0, set: 0, delete: 0, touch: 0, lock: 1, commit: 1 })
  })

  it('stores keys by the hash of the id, never the id', async () => {
    const jar = await newSession()
    const id = jar.get('SESSION') ?? ''
    expect(store.keys.has(hashSessionId(id))).toBe(true)
    expect(store.keys.has(id)).toBe(false)
  })

  it.each([
    ['tampered', (id: string) => `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`],
    ['unknown', () => 'x'.repeat(43)],
    ['malformed', () => '../../etc/passwd;%00'],
    ['oversized', () => 'a'.repeat(8000)],
    ['empty', () => ''],
  ])(
    'a %s cookie gives 200 and a new session; the value is never adopted',
    async (_kind, forge) => {
      const jar = await newSession()
      const forged = forge(jar.get('SESSION') ?? '')
      const reply = await request(`${server.base}/inc`, {
        cookie: `SESSION=${encodeURIComponent(forged)}`,
      })
      expect(reply.status).toBe(200)
      expect(reply.json()).toEqual({ n: 1 })
      const issued = cookiePair(reply, 'SESSION')?.slice('SESSION='.length)
      expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(issued).not.toBe(forged)
    },
  )

  it('does not mint an id for a new visitor who only reads', async () => {
    const reply = await request(`${server.base}/read`)
    expect(reply.json()).toEqual({ n: null, id: null })
    expect(reply.setCookies).toEqual([])
  })
})
