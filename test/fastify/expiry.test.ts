import Fastify from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { hashSessionId } from '../../src/crypto/ids.js'
import { Sessions } from '../../src/index.js'
import { CountingStore } from '../support/counting-store.js'
import { CookieJar, listen, request } from '../support/http.js'

const store = new CountingStore()
const sessions = new Sessions({
  store,
  warnLock: false,
  ttl: 600,
  touchAfter: 60,
  absoluteTimeout: 3600,
})
const app = Fastify()
let base = ''

beforeAll(async () => {
  await app.register(latchkey(sessions))
  app.get('/write', async (req) =>
    req.session.withLock((s) => s.set('v', 1)).then(() => ({ ok: true })),
  )
  app.get('/read', async (req) => ({ v: (await req.session.get('v')) ?? null }))
  app.get('/slow-read', async (req) => {
    const v = await req.session.get('v')
    await new Promise((resolve) => setTimeout(resolve, 300))
    return { v: v ?? null }
  })
  app.get('/destroy', async (req) => req.session.destroy().then(() => ({ ok: true })))
  base = await listen(app)
})
afterAll(async () => {
  await app.close()
  await store.close()
})
afterEach(() => {
  vi.useRealTimers()
})

const t0 = Date.UTC(2026, 10, 25, 12)
function at(seconds: number) {
  vi.setSystemTime(t0 + seconds * 1000)
}

describe('expiry', () => {
  it('a read-only request touches at most once per touchAfter, sliding store and cookie expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(0)
    const jar = new CookieJar()
    await jar.fetch(`${base}/write`)
    const key = hashSessionId(jar.get('SESSION') ?? '')
    store.reset()
    at(30)
    expect((await jar.fetch(`${base}/read`)).setCookies).toEqual([])
    expect(store.calls.touch).toBe(0)
    at(90)
    const touched = await jar.fetch(`${base}/read`)
    expect(store.calls).toMatchObject({ touch: 1, set: 0, commit: 0 })
    expect(touched.setCookies[0]).toMatch(/Max-Age=600;/)
    expect((await store.get(key))?.expiresAt).toBe(t0 + 690_000)
    at(120)
    await jar.fetch(`${base}/read`)
    expect(store.calls.touch).toBe(1)
  })

  it('an idle session ends after ttl', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(0)
    const jar = new CookieJar()
    await jar.fetch(`${base}/write`)
    at(599)
    expect((await jar.fetch(`${base}/read`)).json()).toEqual({ v: 1 })
    at(599 + 601)
    expect((await jar.fetch(`${base}/read`)).json()).toEqual({ v: null })
  })

  it('an active session still ends at absoluteTimeout', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(0)
    const jar = new CookieJar()
    await jar.fetch(`${base}/write`)
    for (let s = 500; s < 3600; s += 500) {
      at(s)
      expect((await jar.fetch(`${base}/write`)).status).toBe(200)
      expect((await jar.fetch(`${base}/read`)).json()).toEqual({ v: 1 })
    }
    at(3600)
    expect((await jar.fetch(`${base}/read`)).json()).toEqual({ v: null })
  })

  it('a read whose touch falls after a concurrent logout sends no cookie: neither the dead id nor a deletion over a newer one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(0)
    const jar = new CookieJar()
    await jar.fetch(`${base}/write`)
    const cookie = jar.header ?? ''
    at(90)
    const reading = request(`${base}/slow-read`, { cookie })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await request(`${base}/destroy`, { cookie })).status).toBe(200)
    const read = await reading
    expect(read.json()).toEqual({ v: 1 })
    expect(read.setCookies).toEqual([])
  })
})
