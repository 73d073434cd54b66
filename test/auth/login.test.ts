import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSessionId, sessionReference } from '../../src/index.js'
import { CookieJar, request } from '../support/http.js'
import { type AuthApp, loginBody, post, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const bob = { id: 'bob', name: 'Bob' }
const COOKIE = 'SECURE_SESSION'

describe('login over HTTP', () => {
  let t: AuthApp
  beforeAll(async () => {
    t = await startAuthApp()
  })
  afterAll(() => t.app.close())

  it('sets a fresh session cookie with secure defaults and remembers the user', async () => {
    const jar = new CookieJar()
    const reply = await jar.fetch(`${t.base}/login`, loginBody(ada))
    expect(reply.status).toBe(200)
    expect(reply.setCookies).toHaveLength(1)
    expect(reply.setCookies[0]).toMatch(
      /^SECURE_SESSION=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; Expires=.* GMT; HttpOnly; Secure; SameSite=Lax$/,
    )
    expect((await jar.fetch(`${t.base}/me`)).json()).toEqual({ user: ada, data: {} })
  })

  it('defeats fixation: a cookie planted before login does not authenticate after it', async () => {
    // The attacker obtains a real anonymous session and plants its cookie in the victim's browser.
    const attacker = new CookieJar()
    await attacker.fetch(`${t.base}/cart`, post({ item: 'bait' }))
    const planted = attacker.get(COOKIE)
    expect(planted).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const victim = new CookieJar()
    victim.set(COOKIE, planted as string)
    const login = await victim.fetch(`${t.base}/login`, loginBody(ada))
    expect(login.status).toBe(200)
    expect(victim.get(COOKIE)).not.toBe(planted)
    expect((await victim.fetch(`${t.base}/me`)).json()).toMatchObject({ user: ada })

    // The planted id gives the attacker nothing: not logged in, and its record is gone.
    expect((await attacker.fetch(`${t.base}/me`)).json()).toEqual({ user: null, data: {} })
    expect(await t.store.get(hashSessionId(planted as string))).toBeUndefined()
  })

  it('never adopts an unknown id: a forged cookie gets a new id at login', async () => {
    const forged = 'A'.repeat(43)
    const jar = new CookieJar()
    jar.set(COOKIE, forged)
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    expect(jar.get(COOKIE)).not.toBe(forged)
    expect(await t.store.get(hashSessionId(forged))).toBeUndefined()
  })

  it('rotates the id on every login; the pre-rotation cookie stops working', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const first = jar.get(COOKIE) as string
    await jar.fetch(`${t.base}/login`, loginBody(bob))
    const second = jar.get(COOKIE) as string
    expect(second).not.toBe(first)
    expect((await jar.fetch(`${t.base}/me`)).json()).toMatchObject({ user: bob })
    const stale = await request(`${t.base}/me`, { cookie: `${COOKIE}=${first}` })
    expect(stale.json()).toEqual({ user: null, data: {} })
    expect(await t.store.get(hashSessionId(first))).toBeUndefined()
    expect((await t.auth.listSessions('ada')).map((s) => s.reference)).not.toContain(
      sessionReference(hashSessionId(first)),
    )
  })

  it('wipes anonymous data at login unless keepData', async () => {
    const wiped = new CookieJar()
    await wiped.fetch(`${t.base}/cart`, post({ item: 'apple' }))
    await wiped.fetch(`${t.base}/login`, loginBody(ada))
    expect((await wiped.fetch(`${t.base}/me`)).json()).toEqual({ user: ada, data: {} })

    const kept = new CookieJar()
    await kept.fetch(`${t.base}/cart`, post({ item: 'apple' }))
    const before = kept.get(COOKIE)
    await kept.fetch(`${t.base}/login`, loginBody(ada, { keepData: true }))
    expect(kept.get(COOKIE)).not.toBe(before)
    expect((await kept.fetch(`${t.base}/me`)).json()).toEqual({
      user: ada,
      data: { cart: ['apple'] },
    })
  })

  it('keeps the user apart from the data: clearing data does not log out', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    await jar.fetch(`${t.base}/cart`, post({ item: 'pear' }))
    const { data } = (await jar.fetch(`${t.base}/me`)).json<{ data: Record<string, unknown> }>()
    expect(Object.keys(data)).toEqual(['cart'])
    const record = await t.store.get(hashSessionId(jar.get(COOKIE) as string))
    expect(record).toMatchObject({ user: ada, userId: 'ada', data: { cart: ['pear'] } })
  })

  it('works inside a lock: the login happens when the lock is released', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/cart`, post({ item: 'fig' }))
    const before = jar.get(COOKIE)
    const reply = await jar.fetch(`${t.base}/login-locked`, loginBody(ada))
    expect(reply.status).toBe(200)
    expect(jar.get(COOKIE)).not.toBe(before)
    // Data written in the lock before login() is wiped by it, like any pre-login data.
    expect((await jar.fetch(`${t.base}/me`)).json()).toEqual({ user: ada, data: {} })
    expect(await t.store.get(hashSessionId(before as string))).toBeUndefined()
  })

  it('answers currentUser inside a lock without waiting for the lock it holds', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const reply = await jar.fetch(`${t.base}/me-locked`)
    expect(reply.json()).toEqual({ user: ada })
  })

  it('restarts createdAt at login and records the user agent', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/cart`, post({ item: 'kiwi' }))
    const anonymous = await t.store.get(hashSessionId(jar.get(COOKIE) as string))
    await new Promise((resolve) => setTimeout(resolve, 5))
    await jar.fetch(`${t.base}/login`, {
      ...loginBody(ada),
      headers: { 'content-type': 'application/json', 'user-agent': 'TestBrowser/1.0' },
    })
    const record = await t.store.get(hashSessionId(jar.get(COOKIE) as string))
    expect(record?.createdAt).toBeGreaterThan(anonymous?.createdAt ?? Infinity)
    expect(record?.userAgent).toBe('TestBrowser/1.0')
  })

  it('rejects a user that is not JSON, null or without id with a coded error', async () => {
    for (const user of [null, { name: 'no id' }, { id: { nested: true } }]) {
      const reply = await request(`${t.base}/login`, { ...post({ user }) })
      expect(reply.status).toBe(500)
      expect(reply.json()).toMatchObject({ code: 'LATCHKEY_USAGE' })
      expect(reply.setCookies).toEqual([])
    }
  })

  it('rejects invalid login options with a coded error', async () => {
    for (const options of [
      { duration: true },
      { duration: 0 },
      { duration: 1.5 },
      { duration: '60' },
      { rememberMe: 'yes' },
      { keepData: 1 },
    ]) {
      const reply = await request(`${t.base}/login`, { ...post({ user: ada, options }) })
      expect(reply.status, JSON.stringify(options)).toBe(500)
      expect(reply.json()).toMatchObject({ code: 'LATCHKEY_USAGE' })
    }
  })
})
