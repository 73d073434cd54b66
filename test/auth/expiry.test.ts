import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { hashSessionId } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar } from '../support/http.js'
import { type AuthApp, loginBody, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const COOKIE = 'SECURE_SESSION'

/** A MemoryStore that remembers the TTL of every write it receives. */
class TtlRecordingStore extends MemoryStore {
  readonly ttls: number[] = []
  override async set(key: string, record: Parameters<MemoryStore['set']>[1], ttlSeconds: number) {
    this.ttls.push(ttlSeconds)
    return super.set(key, record, ttlSeconds)
  }
}

function maxAge(setCookie: string | undefined): number | undefined {
  const match = /; Max-Age=(\d+)/.exec(setCookie ?? '')
  return match ? Number(match[1]) : undefined
}

describe('remember-me and duration', () => {
  let t: AuthApp
  let store: TtlRecordingStore
  beforeAll(async () => {
    store = new TtlRecordingStore()
    t = await startAuthApp({ ttl: 3600, cookie: { persistent: false } }, store)
  })
  afterAll(() => t.app.close())

  it('follows the manager default without options (here a browser-session cookie)', async () => {
    const reply = await new CookieJar().fetch(`${t.base}/login`, loginBody(ada))
    expect(reply.setCookies[0]).not.toMatch(/Max-Age|Expires/)
    expect(store.ttls.at(-1)).toBe(3600)
  })

  it('rememberMe: true gives a persistent cookie', async () => {
    const reply = await new CookieJar().fetch(
      `${t.base}/login`,
      loginBody(ada, { rememberMe: true }),
    )
    expect(maxAge(reply.setCookies[0])).toBe(3600)
    expect(reply.setCookies[0]).toMatch(/; Expires=/)
  })

  it('rememberMe: false gives a browser-session cookie that stays one on later writes', async () => {
    const jar = new CookieJar()
    const reply = await jar.fetch(`${t.base}/login`, loginBody(ada, { rememberMe: false }))
    expect(reply.setCookies[0]).not.toMatch(/Max-Age|Expires/)
    const write = await jar.fetch(`${t.base}/cart`, {
      method: 'POST',
      body: JSON.stringify({ item: 'x' }),
      headers: { 'content-type': 'application/json' },
    })
    // A browser-session cookie has no expiry to refresh: a write does not re-send it.
    expect(write.status).toBe(200)
    expect(write.setCookies).toEqual([])
    const rotated = await jar.fetch(`${t.base}/login`, loginBody(ada, { keepData: true }))
    expect(rotated.setCookies[0]).not.toMatch(/Max-Age|Expires/)
  })

  it('duration sets the store TTL and the cookie lifetime, and is kept for later writes', async () => {
    const jar = new CookieJar()
    const reply = await jar.fetch(
      `${t.base}/login`,
      loginBody(ada, { duration: 120, rememberMe: true }),
    )
    expect(maxAge(reply.setCookies[0])).toBe(120)
    expect(store.ttls.at(-1)).toBe(120)
    const record = await store.get(hashSessionId(jar.get(COOKIE) as string))
    expect(record?.ttl).toBe(120)
    expect((record?.expiresAt ?? 0) - Date.now()).toBeLessThanOrEqual(120_000)
    expect((record?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(110_000)

    const cart = () =>
      jar.fetch(`${t.base}/cart`, {
        method: 'POST',
        body: JSON.stringify({ item: 'x' }),
        headers: { 'content-type': 'application/json' },
      })
    // The cookie is re-sent once its expiry is half the duration behind (touchAfter is capped at ttl / 2).
    expect((await cart()).setCookies).toEqual([])
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + 61_000)
      const write = await cart()
      expect(maxAge(write.setCookies[0])).toBe(120)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a new login without options forgets the previous duration and remember-me', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada, { duration: 120, rememberMe: true }))
    const again = await jar.fetch(`${t.base}/login`, loginBody(ada))
    expect(again.setCookies[0]).not.toMatch(/Max-Age/)
    expect(store.ttls.at(-1)).toBe(3600)
  })
})
