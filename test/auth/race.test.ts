import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSessionId, type SessionStore } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, cookiePair, request } from '../support/http.js'
import { type AuthApp, loginBody, post, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const COOKIE = 'SECURE_SESSION'

/** Fails instead of hanging when `promise` does not settle in time. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Whether `promise` is still pending after `ms` milliseconds. */
async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const pending = Symbol('pending')
  const outcome = await Promise.race([
    promise.then(() => 'settled'),
    new Promise((resolve) => setTimeout(resolve, ms, pending)),
  ])
  return outcome === pending
}

async function loginWithCart(t: AuthApp, agent = 'Browser'): Promise<CookieJar> {
  const jar = new CookieJar()
  await jar.fetch(`${t.base}/login`, {
    ...loginBody(ada),
    headers: { 'content-type': 'application/json', 'user-agent': agent },
  })
  await jar.fetch(`${t.base}/cart`, post({ item: 'secret-cart' }))
  return jar
}

/** Asserts that the session `id` is gone for good and that `cookie`, if any, is not logged in. */
async function expectLoggedOut(t: AuthApp, id: string, cookie: string | undefined): Promise<void> {
  expect(await t.store.get(hashSessionId(id))).toBeUndefined()
  const replay = await request(`${t.base}/me`, { cookie: `${COOKIE}=${id}` })
  expect(replay.json()).toEqual({ user: null, data: {} })
  if (cookie !== undefined) {
    const fresh = (await request(`${t.base}/me`, { cookie })).json<{
      user: unknown
      data: object
    }>()
    expect(fresh.user).toBeNull()
    expect(JSON.stringify(fresh.data)).not.toContain('secret-cart')
  }
  expect(await t.auth.listSessions('ada')).toEqual([])
}

function raceSuite(title: string, makeStore: () => SessionStore) {
  describe(title, () => {
    let t: AuthApp
    beforeAll(async () => {
      t = await startAuthApp({}, makeStore() as MemoryStore)
    })
    afterAll(async () => {
      t.gates.openAll()
      await t.app.close()
    })

    it('a slow unlocked writer that loaded before a logout does not write the session back', async () => {
      const jar = await loginWithCart(t)
      const id = jar.get(COOKIE) as string
      const reached = t.gates.arm('unlocked')
      const slow = request(`${t.base}/slow-unlocked-write?gate=unlocked`, {
        method: 'POST',
        cookie: jar.header as string,
      })
      await reached // the slow request has read the logged-in session
      const logout = await within(2000, jar.fetch(`${t.base}/logout`, post()), 'logout')
      expect(logout.setCookies[0]).toMatch(/^SECURE_SESSION=; Max-Age=0/)
      t.gates.open('unlocked')
      const late = await slow
      expect(late.json()).toEqual({ sawUser: 'ada' })
      await expectLoggedOut(t, id, cookiePair(late, COOKIE))
    })

    it('a logout waits for a slow locked writer, then ends the session for good', async () => {
      const jar = await loginWithCart(t)
      const id = jar.get(COOKIE) as string
      const reached = t.gates.arm('locked')
      const slow = request(`${t.base}/slow-locked-write?gate=locked`, {
        method: 'POST',
        cookie: jar.header as string,
      })
      await reached // the slow request holds the lock
      const logout = jar.fetch(`${t.base}/logout`, post())
      expect(await stillPending(logout, 150)).toBe(true)
      t.gates.open('locked')
      const late = await slow
      expect(late.json()).toEqual({ sawUser: 'ada' })
      expect((await within(2000, logout, 'logout')).setCookies[0]).toMatch(/Max-Age=0/)
      await expectLoggedOut(t, id, undefined)
    })

    it('a slow read-only request that touches after a logout does not revive the session', async () => {
      const jar = await loginWithCart(t)
      const id = jar.get(COOKIE) as string
      const reached = t.gates.arm('reader')
      const slow = request(`${t.base}/slow-read?gate=reader`, { cookie: jar.header as string })
      await reached
      await jar.fetch(`${t.base}/logout`, post())
      t.gates.open('reader')
      expect((await slow).json()).toEqual({ sawUser: 'ada' })
      await expectLoggedOut(t, id, undefined)
    })

    it('logoutEverywhere does not wait for a request holding a lock, and that request cannot write back', async () => {
      const laptop = await loginWithCart(t, 'Laptop')
      const phone = await loginWithCart(t, 'Phone')
      const id = laptop.get(COOKIE) as string
      const reached = t.gates.arm('holder')
      const holder = request(`${t.base}/slow-locked-write?gate=holder`, {
        method: 'POST',
        cookie: laptop.header as string,
      })
      await reached // the laptop's request holds its session's lock
      const ended = await within(2000, t.auth.logoutEverywhere('ada'), 'logoutEverywhere')
      expect(ended).toBe(2)
      t.gates.open('holder')
      const late = await holder
      expect(late.status).toBe(200)
      // No deletion either: only the request that deleted sends one (docs/locking.md).
      expect(late.setCookies).toEqual([])
      await expectLoggedOut(t, id, undefined)
      expect((await phone.fetch(`${t.base}/private`)).status).toBe(401)
    })

    it('“log out everywhere else” over HTTP ends a device whose request holds the lock', async () => {
      const laptop = await loginWithCart(t, 'Laptop')
      const phone = await loginWithCart(t, 'Phone')
      const phoneId = phone.get(COOKIE) as string
      const reached = t.gates.arm('phone')
      const holder = request(`${t.base}/slow-locked-write?gate=phone`, {
        method: 'POST',
        cookie: phone.header as string,
      })
      await reached
      const reply = await within(
        2000,
        laptop.fetch(`${t.base}/logout-everywhere?others=1`, post()),
        'logout everywhere else',
      )
      expect(reply.json()).toEqual({ ended: 1 })
      t.gates.open('phone')
      await holder
      expect(await t.store.get(hashSessionId(phoneId))).toBeUndefined()
      expect((await phone.fetch(`${t.base}/private`)).status).toBe(401)
      expect((await laptop.fetch(`${t.base}/private`)).status).toBe(200)
      await t.auth.logoutEverywhere('ada')
    })
  })
}

raceSuite('destroyed stays destroyed (MemoryStore, with its lock)', () => new MemoryStore())

raceSuite('destroyed stays destroyed (a store with a per-user index but no lock)', () => {
  const memory = new MemoryStore()
  return {
    name: 'lockless',
    get: (key) => memory.get(key),
    set: (key, record, ttl) => memory.set(key, record, ttl),
    delete: (key) => memory.delete(key),
    touch: (key, times, ttl) => memory.touch(key, times, ttl),
    listByUser: (userId) => memory.listByUser(userId),
    deleteByUser: (userId, options) => memory.deleteByUser(userId, options),
  }
})
