import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hashSessionId, type SessionRecord } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar } from '../support/http.js'
import { type AuthApp, loginBody, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const COOKIE = 'SECURE_SESSION'
const T0 = Date.parse('2030-01-01T00:00:00Z')

/** A MemoryStore that counts full writes and touches. */
class CountingStore extends MemoryStore {
  sets = 0
  touches = 0
  override async set(key: string, record: SessionRecord, ttlSeconds: number) {
    this.sets++
    return super.set(key, record, ttlSeconds)
  }
  override async touch(
    key: string,
    times: Pick<SessionRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ) {
    this.touches++
    return super.touch(key, times, ttlSeconds)
  }
}

/** Moves the clock to `seconds` after T0. */
function at(seconds: number): void {
  vi.setSystemTime(T0 + seconds * 1000)
}

async function loggedIn(t: AuthApp, jar: CookieJar): Promise<boolean> {
  const reply = await jar.fetch(`${t.base}/me`)
  return reply.json<{ user: unknown }>().user !== null
}

const apps: AuthApp[] = []
async function start(
  options: Parameters<typeof startAuthApp>[0],
  store = new CountingStore(),
): Promise<{ t: AuthApp; store: CountingStore }> {
  const t = await startAuthApp(options, store)
  apps.push(t)
  return { t, store }
}

describe('timeouts, enforced by the server, on a controlled clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(0)
  })
  afterEach(() => {
    vi.useRealTimers()
  })
  afterAll(async () => {
    for (const t of apps) await t.app.close()
  })

  it('idle timeout: a session unused for ttl seconds ends, even if its cookie is replayed', async () => {
    const { t } = await start({ ttl: 60, touchAfter: false })
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const id = jar.get(COOKIE) as string
    at(59)
    expect(await loggedIn(t, jar)).toBe(true)
    at(61)
    expect(await loggedIn(t, jar)).toBe(false)
    expect(jar.get(COOKIE)).toBe(id) // the client still sends it; the server refuses it
    expect(await t.store.get(hashSessionId(id))).toBeUndefined()
  })

  it('idle timeout slides with use: reads touch the session once touchAfter has passed', async () => {
    const { t } = await start({ ttl: 60, touchAfter: 20 })
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    for (const second of [50, 100, 150, 200]) {
      at(second)
      expect(await loggedIn(t, jar), `at ${second}s`).toBe(true)
    }
    at(200 + 61)
    expect(await loggedIn(t, jar)).toBe(false)
  })

  it('absolute timeout: the session ends that long after login, however active', async () => {
    const { t } = await start({ ttl: 60, touchAfter: 20, absoluteTimeout: 150 })
    const jar = new CookieJar()
    // An anonymous session first: the absolute timeout counts from login, not from creation.
    await jar.fetch(`${t.base}/cart`, {
      method: 'POST',
      body: JSON.stringify({ item: 'x' }),
      headers: { 'content-type': 'application/json' },
    })
    at(50)
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    for (const second of [90, 130, 170, 195]) {
      at(second)
      expect(await loggedIn(t, jar), `at ${second}s`).toBe(true)
    }
    at(200)
    expect(await loggedIn(t, jar)).toBe(false)
  })

  it('the cookie and store expiry never outlast the absolute timeout', async () => {
    const { t } = await start({ ttl: 60, touchAfter: 20, absoluteTimeout: 100 })
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    at(50)
    const touched = await jar.fetch(`${t.base}/me`)
    expect(touched.setCookies[0]).toMatch(/; Max-Age=50;/)
    const record = await t.store.get(hashSessionId(jar.get(COOKIE) as string))
    expect(record?.expiresAt).toBe(T0 + 100_000)
  })

  it('touchAfter: a read-only request refreshes expiry at most once per interval, without rewriting data', async () => {
    const { t, store } = await start({ ttl: 60, touchAfter: 20 })
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const key = hashSessionId(jar.get(COOKIE) as string)
    const writes = store.sets

    at(10)
    const early = await jar.fetch(`${t.base}/me`)
    expect(early.setCookies).toEqual([])
    expect(store.touches).toBe(0)

    at(25)
    const due = await jar.fetch(`${t.base}/me`)
    expect(due.setCookies[0]).toMatch(/; Max-Age=60;/)
    expect(store.touches).toBe(1)
    expect(await store.get(key)).toMatchObject({ lastSeenAt: T0 + 25_000, expiresAt: T0 + 85_000 })

    at(40)
    expect((await jar.fetch(`${t.base}/me`)).setCookies).toEqual([])
    expect(store.touches).toBe(1)

    at(46)
    expect((await jar.fetch(`${t.base}/me`)).setCookies).toHaveLength(1)
    expect(store.touches).toBe(2)
    expect(store.sets).toBe(writes) // touches never rewrote the record
  })

  it('a login duration shorter than touchAfter still slides', async () => {
    const { t } = await start({ ttl: 3600 }) // touchAfter defaults to 1800 s
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada, { duration: 60 }))
    for (const second of [40, 80, 120]) {
      at(second)
      expect(await loggedIn(t, jar), `at ${second}s`).toBe(true)
    }
    at(120 + 61)
    expect(await loggedIn(t, jar)).toBe(false)
  })

  it('an expired session is not listed and not counted by logoutEverywhere', async () => {
    const { t } = await start({ ttl: 60, touchAfter: false })
    await new CookieJar().fetch(`${t.base}/login`, loginBody(ada))
    at(30)
    await new CookieJar().fetch(`${t.base}/login`, loginBody(ada))
    expect(await t.auth.listSessions('ada')).toHaveLength(2)
    at(70)
    expect(await t.auth.listSessions('ada')).toHaveLength(1)
    expect(await t.auth.logoutEverywhere('ada')).toBe(1)
  })
})
