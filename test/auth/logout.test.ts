import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSessionId } from '../../src/index.js'
import { CookieJar, request } from '../support/http.js'
import { type AuthApp, loginBody, post, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const bob = { id: 'bob', name: 'Bob' }
const COOKIE = 'SECURE_SESSION'

describe('logout over HTTP', () => {
  let t: AuthApp
  beforeAll(async () => {
    t = await startAuthApp({
      cookie: { domain: 'example.test', path: '/', sameSite: 'strict' },
    })
  })
  afterAll(() => t.app.close())

  it('destroys the session and sends a deletion cookie with the original attributes', async () => {
    const jar = new CookieJar()
    const login = await jar.fetch(`${t.base}/login`, loginBody(ada))
    expect(login.setCookies[0]).toMatch(
      /; Domain=example\.test; Path=\/; Expires=.*; HttpOnly; Secure; SameSite=Strict$/,
    )
    const id = jar.get(COOKIE) as string

    const logout = await jar.fetch(`${t.base}/logout`, post())
    expect(logout.setCookies).toEqual([
      'SECURE_SESSION=; Max-Age=0; Domain=example.test; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict',
    ])
    expect(await t.store.get(hashSessionId(id))).toBeUndefined()
    expect(await t.auth.listSessions('ada')).toEqual([])
  })

  it('makes the old cookie useless, even replayed by a client that ignores the deletion', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const id = jar.get(COOKIE) as string
    await jar.fetch(`${t.base}/logout`, post())
    const replay = await request(`${t.base}/me`, { cookie: `${COOKIE}=${id}` })
    expect(replay.json()).toEqual({ user: null, data: {} })
    const guarded = await request(`${t.base}/private`, { cookie: `${COOKIE}=${id}` })
    expect(guarded.status).toBe(401)
  })

  it('logout then login in one request ends logged in with a valid cookie', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const old = jar.get(COOKIE) as string
    const reply = await jar.fetch(`${t.base}/logout-login`, loginBody(bob))
    expect(reply.setCookies).toHaveLength(1)
    expect(reply.setCookies[0]).toMatch(/^SECURE_SESSION=[A-Za-z0-9_-]{43}; Max-Age=/)
    expect(jar.get(COOKIE)).not.toBe(old)
    expect((await jar.fetch(`${t.base}/me`)).json()).toEqual({ user: bob, data: {} })
    expect(await t.store.get(hashSessionId(old))).toBeUndefined()
  })

  it('logout then login inside one lock ends logged in with a valid cookie', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const old = jar.get(COOKIE) as string
    const reply = await jar.fetch(`${t.base}/logout-login-locked`, loginBody(bob))
    expect(reply.json()).toEqual({ afterLogout: null, afterLogin: bob })
    expect(reply.setCookies).toHaveLength(1)
    expect(reply.setCookies[0]).toMatch(/^SECURE_SESSION=[A-Za-z0-9_-]{43}; Max-Age=/)
    expect((await jar.fetch(`${t.base}/me`)).json()).toEqual({ user: bob, data: {} })
    expect(await t.store.get(hashSessionId(old))).toBeUndefined()
    expect((await t.auth.listSessions('ada')).length).toBe(0)
  })

  it('logging out without a session sends nothing', async () => {
    const reply = await request(`${t.base}/logout`, post())
    expect(reply.status).toBe(200)
    expect(reply.setCookies).toEqual([])
  })
})
