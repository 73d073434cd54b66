/**
 * The rest of expressSessionCompat's express-session surface, with the real
 * Passport where it takes part: `cookie.maxAge` / `expires` as remember-me at
 * login, `id` and `req.sessionID`, `destroy`, `reload`, and the coded errors.
 */
import { createServer } from 'node:http'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expressSession, expressSessionCompat } from '../../src/adapters/express/index.js'
import { AuthSessions, SessionConfigError, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, request, type Served, served } from '../support/http.js'
import { passportOn, route, USERS } from './app.js'

const json = { 'content-type': 'application/json' }
const WEEK_MS = 7 * 24 * 3600 * 1000

async function serve(app: express.Express): Promise<Served> {
  return served(createServer(app).listen(0, '127.0.0.1'))
}

describe('expressSessionCompat on AuthSessions', () => {
  const auth = new AuthSessions({ store: new MemoryStore(), cookie: { secure: false } })
  const cookieName = auth.options.cookie.name
  let server: Served
  let base = ''

  beforeAll(async () => {
    const app = express()
    app.use(express.json())
    const passport = passportOn(app, auth)
    app.post('/login', passport.authenticate('local'), (req, res) => {
      // A remember-me box, as apps on express-session write it.
      const { cookie } = expressSession(req)
      if (req.body.remember) cookie.maxAge = WEEK_MS
      else cookie.expires = false
      res.json({ maxAge: cookie.maxAge })
    })
    app.get('/id', (req, res) => {
      res.json({
        id: expressSession(req).id ?? null,
        sessionID: (req as { sessionID?: string }).sessionID ?? null,
      })
    })
    app.post('/count', (req, res) => {
      const session = expressSession<{ count?: number }>(req)
      session.count = (session.count ?? 0) + 1
      res.json({ count: session.count })
    })
    app.post('/reload', (req, res, next) => {
      const session = expressSession<{ count?: number }>(req)
      session.count = 1000
      session.reload((error) => {
        if (error) return next(error)
        res.json({ count: expressSession<{ count?: number }>(req).count ?? null })
      })
    })
    app.post('/destroy', (req, res, next) => {
      expressSession(req).destroy((error) => {
        if (error) return next(error)
        res.json({ session: (req as { session?: unknown }).session ?? null })
      })
    })
    app.get(
      '/me',
      route(async (req, res) => {
        res.json({ user: (await auth.of(req).currentUser()) ?? null })
      }),
    )
    server = await serve(app)
    base = server.url
  })
  afterAll(() => server?.close())

  async function login(remember: boolean) {
    const jar = new CookieJar()
    const reply = await jar.fetch(`${base}/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ user: 'alice', password: 'wonderland', remember }),
    })
    expect(reply.status, reply.body).toBe(200)
    const line = reply.setCookies.find((c) => c.startsWith(`${cookieName}=`)) as string
    return { jar, reply, line }
  }

  it('makes cookie.maxAge at login the login’s duration, a persistent cookie', async () => {
    const { jar, reply, line } = await login(true)
    expect(reply.json()).toEqual({ maxAge: WEEK_MS })
    expect(line).toContain(`Max-Age=${WEEK_MS / 1000}`)
    expect((await jar.fetch(`${base}/me`)).json()).toEqual({ user: 'alice' })
  })

  it('makes cookie.expires = false at login a browser-session cookie', async () => {
    const { jar, reply, line } = await login(false)
    expect(reply.json()).toEqual({ maxAge: null })
    expect(line).not.toMatch(/Max-Age|Expires/i)
    expect((await jar.fetch(`${base}/me`)).json()).toEqual({ user: 'alice' })
  })

  it('answers a cookie.maxAge set without a login with LATCHKEY_USAGE', async () => {
    const app = express()
    const sessions = new Sessions({ store: new MemoryStore(), name: 'latchkey' })
    passportOn(app, sessions)
    app.get('/remember', (req, res) => {
      expressSession(req).cookie.maxAge = WEEK_MS
      res.json({ ok: true })
    })
    const plain = await serve(app)
    try {
      const reply = await request(`${plain.url}/remember`)
      expect(reply.status).toBe(500)
      expect(reply.body).toContain('LATCHKEY_USAGE')
    } finally {
      await plain.close()
    }
  })

  it('logs out a user whom deserializeUser no longer finds', async () => {
    USERS.set('bob', { id: 'bob', name: 'Bob', password: 'builder' })
    const jar = new CookieJar()
    const body = JSON.stringify({ user: 'bob', password: 'builder' })
    await jar.fetch(`${base}/login`, { method: 'POST', headers: json, body })
    const stolen = jar.header as string
    expect(await auth.listSessions('bob')).toHaveLength(1)
    USERS.delete('bob')
    // passport.session() deletes req.session.passport.user: the response logs out.
    const gone = await jar.fetch(`${base}/me`)
    expect(gone.setCookies.some((c) => c.startsWith(`${cookieName}=;`))).toBe(true)
    expect(await auth.listSessions('bob')).toEqual([])
    expect((await request(`${base}/me`, { cookie: stolen })).json()).toEqual({ user: null })
  })

  it('gives the cookie’s id as id and req.sessionID, never the stored hash', async () => {
    const { jar } = await login(true)
    const { id, sessionID } = (await jar.fetch(`${base}/id`)).json<{
      id: string
      sessionID: string
    }>()
    expect(id).toBe(jar.get(cookieName))
    expect(sessionID).toBe(id)
    expect((await request(`${base}/id`)).json()).toEqual({ id: null, sessionID: null })
  })

  it('reload() drops what was not saved and reads the session again', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${base}/count`, { method: 'POST' })
    expect((await jar.fetch(`${base}/reload`, { method: 'POST' })).json()).toEqual({ count: 1 })
    expect((await jar.fetch(`${base}/count`, { method: 'POST' })).json()).toEqual({ count: 2 })
  })

  it('destroy() logs out, removes req.session and deletes the cookie', async () => {
    const { jar } = await login(true)
    const stolen = jar.header as string
    const reply = await jar.fetch(`${base}/destroy`, { method: 'POST' })
    expect(reply.json()).toEqual({ session: null })
    expect(reply.setCookies.some((c) => c.startsWith(`${cookieName}=;`))).toBe(true)
    expect((await request(`${base}/me`, { cookie: stolen })).json()).toEqual({ user: null })
  })
})

describe('expressSessionCompat set up wrong', () => {
  it('refuses a manager named session, whose req.session it would take', () => {
    expect(() => expressSessionCompat(new Sessions({ store: new MemoryStore() }))).toThrow(
      SessionConfigError,
    )
    expect(() => expressSessionCompat({} as Sessions)).toThrow(SessionConfigError)
  })

  it('answers LATCHKEY_USAGE when latchkey() is not mounted before it', async () => {
    const auth = new AuthSessions({ store: new MemoryStore() })
    const app = express()
    app.use(expressSessionCompat(auth))
    app.get('/', (_req, res) => {
      res.json({ ok: true })
    })
    const server = await serve(app)
    try {
      const reply = await request(server.url)
      expect(reply.status).toBe(500)
      expect(reply.body).toContain('register latchkey(...) with this manager')
    } finally {
      await server.close()
    }
  })
})
