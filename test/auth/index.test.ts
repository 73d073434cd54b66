import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AuthSessions,
  hashSessionId,
  type SessionStore,
  sessionReference,
} from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar } from '../support/http.js'
import { type AuthApp, loginBody, post, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const bob = { id: 'bob', name: 'Bob' }
const COOKIE = 'SECURE_SESSION'

async function device(t: AuthApp, user: typeof ada, agent: string): Promise<CookieJar> {
  const jar = new CookieJar()
  await jar.fetch(`${t.base}/login`, {
    ...loginBody(user),
    headers: { 'content-type': 'application/json', 'user-agent': agent },
  })
  return jar
}

describe('listing and ending a user’s sessions', () => {
  let t: AuthApp
  beforeAll(async () => {
    t = await startAuthApp()
  })
  afterAll(() => t.app.close())

  it('lists exactly the user’s live sessions with times, user agent and the current one', async () => {
    const laptop = await device(t, ada, 'Laptop/1')
    await new Promise((resolve) => setTimeout(resolve, 5))
    const phone = await device(t, ada, 'Phone/2')
    await device(t, bob, 'Other/3')
    const anonymous = new CookieJar()
    await anonymous.fetch(`${t.base}/cart`, post({ item: 'x' }))

    const listed = (await laptop.fetch(`${t.base}/sessions`)).json<Array<Record<string, unknown>>>()
    expect(listed).toHaveLength(2)
    expect(listed.map((s) => s.userAgent)).toEqual(['Phone/2', 'Laptop/1'])
    expect(listed.map((s) => s.current)).toEqual([false, true])
    expect(listed[1]?.reference).toBe(sessionReference(hashSessionId(laptop.get(COOKIE) as string)))
    expect(listed[0]?.reference).toBe(sessionReference(hashSessionId(phone.get(COOKIE) as string)))
    for (const s of listed) {
      expect(Date.parse(String(s.createdAt))).toBeLessThanOrEqual(Date.parse(String(s.lastSeenAt)))
      expect(Date.parse(String(s.expiresAt))).toBeGreaterThan(Date.now())
    }
    // Nothing in the listing is a usable cookie value, nor a stored key.
    expect(JSON.stringify(listed)).not.toContain(laptop.get(COOKIE))
    expect(JSON.stringify(listed)).not.toContain(hashSessionId(laptop.get(COOKIE) as string))
    await t.auth.logoutEverywhere('ada')
    await t.auth.logoutEverywhere('bob')
  })

  it('revokeSession ends the one session of that reference, and no other user’s', async () => {
    const laptop = await device(t, ada, 'Laptop/1')
    const phone = await device(t, ada, 'Phone/2')
    const other = await device(t, bob, 'Other/3')
    const listed = await t.auth.listSessions('ada')
    const phoneReference = listed.find((s) => s.userAgent === 'Phone/2')?.reference as string
    const [bobs] = await t.auth.listSessions('bob')
    expect(await t.auth.revokeSession('ada', bobs?.reference as string)).toBe(false)
    expect(await t.auth.revokeSession('ada', 'not-a-reference')).toBe(false)
    expect(await t.auth.revokeSession('ada', phoneReference)).toBe(true)
    expect((await phone.fetch(`${t.base}/private`)).status).toBe(401)
    expect((await laptop.fetch(`${t.base}/me`)).json()).toMatchObject({ user: ada })
    expect((await other.fetch(`${t.base}/me`)).json()).toMatchObject({ user: bob })
    expect((await t.auth.listSessions('ada')).map((s) => s.userAgent)).toEqual(['Laptop/1'])
    expect(await t.auth.revokeSession('ada', phoneReference)).toBe(false)
    await t.auth.logoutEverywhere('ada')
    await t.auth.logoutEverywhere('bob')
  })

  it('logoutEverywhere ends exactly that user’s sessions; others stay', async () => {
    const a1 = await device(t, ada, 'A1')
    const a2 = await device(t, ada, 'A2')
    const b1 = await device(t, bob, 'B1')
    expect(await t.auth.logoutEverywhere('ada')).toBe(2)
    for (const jar of [a1, a2]) {
      expect((await jar.fetch(`${t.base}/me`)).json()).toEqual({ user: null, data: {} })
      expect((await jar.fetch(`${t.base}/private`)).status).toBe(401)
    }
    expect((await b1.fetch(`${t.base}/me`)).json()).toMatchObject({ user: bob })
    expect(await t.auth.listSessions('ada')).toEqual([])
    expect(await t.auth.listSessions('bob')).toHaveLength(1)
    expect(await t.auth.logoutEverywhere('ada')).toBe(0)
    await t.auth.logoutEverywhere('bob')
  })

  it('“everywhere else” keeps the requesting session (except: the request’s session)', async () => {
    const here = await device(t, ada, 'Here')
    const there = await device(t, ada, 'There')
    const elsewhere = await device(t, ada, 'Elsewhere')
    const reply = await here.fetch(`${t.base}/logout-everywhere?others=1`, post())
    expect(reply.json()).toEqual({ ended: 2 })
    expect((await here.fetch(`${t.base}/me`)).json()).toMatchObject({ user: ada })
    for (const jar of [there, elsewhere])
      expect((await jar.fetch(`${t.base}/private`)).status).toBe(401)
    const listed = await t.auth.listSessions('ada', { current: here.get(COOKIE) as string })
    expect(listed.map((s) => [s.userAgent, s.current])).toEqual([['Here', true]])
    await t.auth.logoutEverywhere('ada')
  })

  it('except also takes a raw session id', async () => {
    const keep = await device(t, ada, 'Keep')
    await device(t, ada, 'Drop')
    expect(await t.auth.logoutEverywhere('ada', { except: keep.get(COOKIE) as string })).toBe(1)
    expect((await keep.fetch(`${t.base}/me`)).json()).toMatchObject({ user: ada })
    await t.auth.logoutEverywhere('ada')
  })

  it('a rotated session is listed once, under its new id', async () => {
    const jar = await device(t, ada, 'Rotating')
    const before = jar.get(COOKIE) as string
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const listed = await t.auth.listSessions('ada')
    expect(listed.map((s) => s.reference)).toEqual([
      sessionReference(hashSessionId(jar.get(COOKIE) as string)),
    ])
    expect(listed.map((s) => s.reference)).not.toContain(sessionReference(hashSessionId(before)))
    await t.auth.logoutEverywhere('ada')
  })

  it('logging in as someone else moves the session to that user’s index', async () => {
    const jar = await device(t, ada, 'Shared')
    await jar.fetch(`${t.base}/login`, loginBody(bob))
    expect(await t.auth.listSessions('ada')).toEqual([])
    expect(await t.auth.listSessions('bob')).toHaveLength(1)
    await t.auth.logoutEverywhere('bob')
  })

  it('rejects an empty or non-string user id with a coded error', async () => {
    await expect(t.auth.listSessions('')).rejects.toMatchObject({ code: 'LATCHKEY_USAGE' })
    await expect(t.auth.logoutEverywhere(42 as unknown as string)).rejects.toMatchObject({
      code: 'LATCHKEY_USAGE',
    })
  })
})

describe('a primary store without a per-user index', () => {
  /** A store with only the required operations, as a minimal third-party store has. */
  function minimalStore(): SessionStore {
    const memory = new MemoryStore()
    return {
      name: 'minimal',
      get: (key) => memory.get(key),
      set: (key, record, ttl) => memory.set(key, record, ttl),
      delete: (key) => memory.delete(key),
    }
  }

  it('still logs in and out, but listing and revoking by user are config errors', async () => {
    const auth = new AuthSessions({ store: minimalStore(), warnLock: false })
    const session = auth.open({ cookie: undefined })
    await session.login(ada)
    const cookies = await session.commit()
    expect(cookies[0]).toMatch(/^SECURE_SESSION=/)
    await expect(auth.listSessions('ada')).rejects.toMatchObject({
      code: 'LATCHKEY_CONFIG',
      message: expect.stringContaining('no per-user index'),
    })
    await expect(auth.logoutEverywhere('ada')).rejects.toMatchObject({ code: 'LATCHKEY_CONFIG' })
  })
})
