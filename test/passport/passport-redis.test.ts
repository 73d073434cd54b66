/**
 * Passport (passport-local) on AuthSessions over a real Redis, through
 * expressSessionCompat, in two app instances sharing it as two processes
 * would: Redis holds hashed ids only, and a logout in one instance is not
 * undone by a request of the session still running in the other.
 */
import { createServer } from 'node:http'
import express from 'express'
import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { expressSession } from '../../src/adapters/express/index.js'
import { AuthSessions, hashSessionId } from '../../src/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { CookieJar, request, type Served, served } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'
import { passportOn, route, type User } from './app.js'

const json = { 'content-type': 'application/json' }

describeRedis('Passport on AuthSessions over Redis, two app instances', () => {
  let redis: RedisServer
  const clients: Array<ReturnType<typeof createClient>> = []
  const servers: Served[] = []
  let auth: AuthSessions
  /** Holds GET /slow between reading the session and writing it. */
  let gate: Promise<void> = Promise.resolve()
  let slowHasRead: () => void = () => {}

  beforeAll(async () => {
    redis = await startRedis()
    for (let i = 0; i < 2; i++) {
      const client: ReturnType<typeof createClient> = createClient({
        socket: { host: '127.0.0.1', port: redis.server.port },
      })
      await client.connect()
      clients.push(client)
      auth = new AuthSessions({ store: new RedisStore({ client }), cookie: { secure: false } })
      const app = express()
      app.use(express.json())
      const passport = passportOn(app, auth)
      app.post('/login', passport.authenticate('local'), (req, res) => {
        res.json({ user: (req.user as User).id })
      })
      app.get('/me', (req, res) => {
        res.json({ user: (req.user as User | undefined)?.id ?? null })
      })
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
      servers.push(await served(createServer(app).listen(0, '127.0.0.1')))
    }
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
    for (const client of clients) client.destroy()
    await redis?.dispose()
  })

  const cookieName = () => auth.options.cookie.name

  async function loggedIn(): Promise<CookieJar> {
    const jar = new CookieJar()
    const body = JSON.stringify({ user: 'alice', password: 'wonderland' })
    const login = await jar.fetch(`${servers[0]?.url}/login`, {
      method: 'POST',
      headers: json,
      body,
    })
    expect(login.json()).toEqual({ user: 'alice' })
    return jar
  }

  it('keeps the login under the hash of the id, which the other instance reads', async () => {
    const jar = await loggedIn()
    const id = jar.get(cookieName()) as string
    const keys = await clients[0]?.keys('*')
    expect(keys).toContain(`latchkey:{${hashSessionId(id)}}`)
    expect(keys?.some((key) => key.includes(id))).toBe(false)
    expect((await jar.fetch(`${servers[1]?.url}/me`)).json()).toEqual({ user: 'alice' })
  })

  it('does not write back a session logged out in the other instance', async () => {
    const jar = await loggedIn()
    const stolen = jar.header as string
    const key = `latchkey:{${hashSessionId(jar.get(cookieName()) as string)}}`
    let open: () => void = () => {}
    gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const read = new Promise<void>((resolve) => {
      slowHasRead = resolve
    })
    const slow = request(`${servers[1]?.url}/slow`, { cookie: stolen })
    await read
    const logout = await jar.fetch(`${servers[0]?.url}/logout`, { method: 'POST' })
    expect(logout.json()).toEqual({ ok: true })
    open()
    const late = await slow
    expect(late.json()).toEqual({ user: 'alice' })
    expect(late.setCookies).toEqual([])
    expect(await clients[0]?.exists(key)).toBe(0)
    for (const server of servers)
      expect((await request(`${server.url}/me`, { cookie: stolen })).json()).toEqual({ user: null })
  })
})
