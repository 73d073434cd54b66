import Fastify from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { AuthSessions } from '../../src/index.js'
import { CookieStore, generateKey } from '../../src/stores/cookie/index.js'
import { CookieJar, listen, request } from '../support/http.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const COOKIE = 'SECURE_SESSION'

describe('AuthSessions on the encrypted cookie store', () => {
  const app = Fastify()
  const auth = new AuthSessions({
    store: new CookieStore({ keys: generateKey() }),
    ttl: 60,
    touchAfter: false,
    warnLock: false,
  })
  let base = ''
  beforeAll(async () => {
    await app.register(latchkey(auth))
    app.post<{ Body: { duration?: number } }>('/login', async (req) => {
      await req.authSession.login(
        ada,
        req.body?.duration === undefined ? {} : { duration: req.body.duration },
      )
      return { ok: true }
    })
    app.post('/logout', async (req) => {
      await req.authSession.logout()
      return { ok: true }
    })
    app.post('/note', async (req) => {
      await req.authSession.set('note', 'anonymous')
      return { ok: true }
    })
    app.get('/me', async (req) => ({ user: (await req.authSession.currentUser()) ?? null }))
    base = await listen(app)
  })
  afterAll(() => app.close())
  afterEach(() => {
    vi.useRealTimers()
  })

  it('logs in with a new token and id; the anonymous token does not carry the login', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${base}/note`, { method: 'POST' })
    const anonymous = jar.get(COOKIE) as string
    await jar.fetch(`${base}/login`, { method: 'POST' })
    expect(jar.get(COOKIE)).not.toBe(anonymous)
    expect((await jar.fetch(`${base}/me`)).json()).toEqual({ user: ada })
    const planted = await request(`${base}/me`, { cookie: `${COOKIE}=${anonymous}` })
    expect(planted.json()).toEqual({ user: null })
  })

  it('logout deletes the browser’s cookie, but cannot revoke a copy taken before', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${base}/login`, { method: 'POST' })
    const copy = jar.get(COOKIE) as string
    const logout = await jar.fetch(`${base}/logout`, { method: 'POST' })
    expect(logout.setCookies[0]).toMatch(/^SECURE_SESSION=; Max-Age=0/)
    expect((await jar.fetch(`${base}/me`)).json()).toEqual({ user: null })
    // Documented limitation (docs/security.md): nothing server-side can end a cookie-held session.
    const replay = await request(`${base}/me`, { cookie: `${COOKIE}=${copy}` })
    expect(replay.json()).toEqual({ user: ada })
  })

  it('a copied token still ends with the idle timeout', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const jar = new CookieJar()
    await jar.fetch(`${base}/login`, { method: 'POST' })
    vi.setSystemTime(Date.now() + 61_000)
    expect((await jar.fetch(`${base}/me`)).json()).toEqual({ user: null })
  })

  it('listing and revoking by user are config errors', async () => {
    await expect(auth.listSessions('ada')).rejects.toMatchObject({ code: 'LATCHKEY_CONFIG' })
    await expect(auth.logoutEverywhere('ada')).rejects.toMatchObject({ code: 'LATCHKEY_CONFIG' })
  })

  it('a login duration longer than ttl holds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const jar = new CookieJar()
    await jar.fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ duration: 120 }),
      headers: { 'content-type': 'application/json' },
    })
    vi.setSystemTime(Date.now() + 90_000)
    expect((await jar.fetch(`${base}/me`)).json()).toEqual({ user: ada })
  })
})
