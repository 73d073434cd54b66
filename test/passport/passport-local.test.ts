/**
 * The real `passport` and `passport-local`, unchanged, on latchkey sessions
 * through expressSessionCompat(), on Express 4 and 5, with an AuthSessions
 * manager (Passport's user is the latchkey login) and a plain Sessions one
 * (Passport's user is session data).
 */
import { createServer } from 'node:http'
import express5 from 'express'
import express4 from 'express4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expressSession } from '../../src/adapters/express/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, request, type Served, served } from '../support/http.js'
import { passportOn, route, type User } from './app.js'

const json = { 'content-type': 'application/json' }
const RIGHT = JSON.stringify({ user: 'alice', password: 'wonderland' })
const WRONG = JSON.stringify({ user: 'alice', password: 'looking-glass' })
const CONCURRENT = 20

function managerOf(kind: string): AuthSessions | Sessions {
  const options = { store: new MemoryStore(), cookie: { secure: false } }
  return kind === 'AuthSessions'
    ? new AuthSessions(options)
    : new Sessions({ ...options, name: 'latchkey' })
}

describe.each([
  ['express 4', express4],
  ['express 5', express5],
])('%s', (_name, createApp) => {
  describe.each(['AuthSessions', 'Sessions'])('on %s', (kind) => {
    const manager = managerOf(kind)
    const cookieName = manager.options.cookie.name
    let server: Served
    let base = ''
    /** Holds GET /slow between reading the session and writing it. */
    let gate: Promise<void> = Promise.resolve()
    let slowHasRead: () => void = () => {}
    /** POST /note waits here until every one of CONCURRENT requests has read the session. */
    let allHaveRead: () => Promise<void> = () => Promise.resolve()

    beforeAll(async () => {
      const app = createApp()
      app.use(createApp.json())
      const passport = passportOn(app, manager)
      app.post('/login', passport.authenticate('local'), (req, res) => {
        res.json({ user: (req.user as User).id })
      })
      app.post(
        '/login-keeping-data',
        passport.authenticate('local', { keepSessionInfo: true }),
        (req, res) => {
          res.json({ user: (req.user as User).id })
        },
      )
      app.get(
        '/me',
        route(async (req, res) => {
          const session = expressSession(req)
          const latchkeyUser =
            manager instanceof AuthSessions ? await manager.of(req).currentUser() : null
          res.json({
            user: (req.user as User | undefined)?.id ?? null,
            authenticated: req.isAuthenticated(),
            latchkeyUser: latchkeyUser ?? null,
            count: session.count ?? 0,
          })
        }),
      )
      app.post('/count', (req, res) => {
        const session = expressSession(req)
        session.count = ((session.count as number | undefined) ?? 0) + 1
        res.json({ count: session.count })
      })
      app.post(
        '/note/:key',
        route(async (req, res) => {
          await allHaveRead()
          expressSession(req)[`note-${req.params.key}`] = req.params.key
          res.json({ user: (req.user as User | undefined)?.id ?? null })
        }),
      )
      app.get('/notes', (req, res) => {
        const session = expressSession(req)
        res.json(Object.keys(session).filter((key) => key.startsWith('note-')))
      })
      app.post(
        '/inc',
        route(async (req, res) => {
          // The locked alternative to property access: the latchkey session itself.
          const n = await manager.of(req).withLock((s) => {
            const next = ((s.get('n') as number | undefined) ?? 0) + 1
            s.set('n', next)
            return next
          })
          res.json({ n })
        }),
      )
      app.get(
        '/slow',
        route(async (req, res) => {
          slowHasRead()
          await gate
          expressSession(req).late = 'written after logout'
          res.json({ user: (req.user as User | undefined)?.id ?? null })
        }),
      )
      app.post('/logout', (req, res, next) => {
        req.logout((error) => (error ? next(error) : res.json({ ok: true })))
      })
      server = await served(createServer(app).listen(0, '127.0.0.1'))
      base = server.url
    })
    afterAll(() => server?.close())

    /** How many sessions alice is logged in to (AuthSessions' per-user index; Sessions keeps none). */
    async function loginsOfAlice(): Promise<number> {
      return manager instanceof AuthSessions ? (await manager.listSessions('alice')).length : 0
    }

    async function loggedIn(): Promise<CookieJar> {
      const jar = new CookieJar()
      const login = await jar.fetch(`${base}/login`, { method: 'POST', headers: json, body: RIGHT })
      expect(login.status, login.body).toBe(200)
      return jar
    }

    it('refuses a wrong password with 401 and makes no session', async () => {
      const reply = await request(`${base}/login`, { method: 'POST', headers: json, body: WRONG })
      expect(reply.status).toBe(401)
      expect(reply.setCookies).toEqual([])
    })

    it('logs in: the session holds the user under a new id', async () => {
      const jar = new CookieJar()
      await jar.fetch(`${base}/count`, { method: 'POST' })
      const before = jar.get(cookieName) as string
      expect(before).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const login = await jar.fetch(`${base}/login`, { method: 'POST', headers: json, body: RIGHT })
      expect(login.json()).toEqual({ user: 'alice' })
      const after = jar.get(cookieName) as string
      expect(after).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(after).not.toBe(before)
      // Passport regenerates at login: the data from before is gone, as with express-session.
      expect((await jar.fetch(`${base}/me`)).json()).toEqual({
        user: 'alice',
        authenticated: true,
        latchkeyUser: manager instanceof AuthSessions ? 'alice' : null,
        count: 0,
      })
      // The id from before login opens nothing.
      const old = await request(`${base}/me`, { cookie: `${cookieName}=${before}` })
      expect(old.json()).toMatchObject({ user: null, count: 0 })
    })

    it('keeps the data with keepSessionInfo', async () => {
      const jar = new CookieJar()
      await jar.fetch(`${base}/count`, { method: 'POST' })
      const before = jar.get(cookieName)
      await jar.fetch(`${base}/login-keeping-data`, { method: 'POST', headers: json, body: RIGHT })
      expect(jar.get(cookieName)).not.toBe(before)
      expect((await jar.fetch(`${base}/me`)).json()).toMatchObject({ user: 'alice', count: 1 })
    })

    it('keeps req.session.count across requests', async () => {
      const jar = await loggedIn()
      for (let i = 1; i <= 3; i++)
        expect((await jar.fetch(`${base}/count`, { method: 'POST' })).json()).toEqual({ count: i })
      expect((await jar.fetch(`${base}/me`)).json()).toMatchObject({ user: 'alice', count: 3 })
    })

    it('gives an unknown id a fresh session without a user', async () => {
      const forged = `${cookieName}=${'A'.repeat(43)}`
      const reply = await request(`${base}/count`, { method: 'POST', cookie: forged })
      expect(reply.json()).toEqual({ count: 1 })
      const issued = reply.setCookies.find((line) => line.startsWith(`${cookieName}=`))
      expect(issued).toBeDefined()
      expect(issued).not.toContain('A'.repeat(43))
    })

    it('logs out: neither the old cookie nor the new one has a user', async () => {
      const jar = await loggedIn()
      const stolen = jar.header as string
      const before = await loginsOfAlice()
      expect((await jar.fetch(`${base}/logout`, { method: 'POST' })).json()).toEqual({ ok: true })
      expect((await jar.fetch(`${base}/me`)).json()).toMatchObject({ user: null })
      expect((await request(`${base}/me`, { cookie: stolen })).json()).toMatchObject({
        user: null,
        authenticated: false,
      })
      if (manager instanceof AuthSessions) expect(await loginsOfAlice()).toBe(before - 1)
    })

    it(`keeps the user and every key through ${CONCURRENT} concurrent writes of other keys`, async () => {
      const jar = await loggedIn()
      const cookie = jar.header as string
      let arrived = 0
      let release: () => void = () => {}
      const everyone = new Promise<void>((resolve) => {
        release = resolve
      })
      allHaveRead = () => {
        if (++arrived === CONCURRENT) release()
        return everyone
      }
      const replies = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          request(`${base}/note/${i}`, { method: 'POST', cookie }),
        ),
      )
      for (const reply of replies) expect(reply.json()).toEqual({ user: 'alice' })
      const notes = (await request(`${base}/notes`, { cookie })).json<string[]>()
      expect(notes.sort()).toEqual(Array.from({ length: CONCURRENT }, (_, i) => `note-${i}`).sort())
      expect((await request(`${base}/me`, { cookie })).json()).toMatchObject({ user: 'alice' })
    })

    it('loses no increment through the locked session beside it', async () => {
      const jar = await loggedIn()
      const cookie = jar.header as string
      const replies = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          request(`${base}/inc`, { method: 'POST', cookie }),
        ),
      )
      const seen = replies.map((reply) => reply.json<{ n: number }>().n)
      expect(new Set(seen).size).toBe(CONCURRENT)
      expect(Math.max(...seen)).toBe(CONCURRENT)
    })

    it('does not write back a session logged out while a request of it was running', async () => {
      const jar = await loggedIn()
      const stolen = jar.header as string
      const before = await loginsOfAlice()
      let open: () => void = () => {}
      gate = new Promise<void>((resolve) => {
        open = resolve
      })
      const read = new Promise<void>((resolve) => {
        slowHasRead = resolve
      })
      const slow = request(`${base}/slow`, { cookie: stolen })
      await read
      expect((await jar.fetch(`${base}/logout`, { method: 'POST' })).json()).toEqual({ ok: true })
      open()
      const late = await slow
      expect(late.json()).toEqual({ user: 'alice' })
      expect(late.setCookies).toEqual([])
      const replayed = await request(`${base}/me`, { cookie: stolen })
      expect(replayed.json()).toMatchObject({ user: null, authenticated: false })
      expect(replayed.setCookies.some((line) => line.startsWith(`${cookieName}=`))).toBe(false)
      if (manager instanceof AuthSessions) expect(await loginsOfAlice()).toBe(before - 1)
    })
  })
})
