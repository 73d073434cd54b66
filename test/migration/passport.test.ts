/**
 * Deploy day for a Passport app: users logged in by real express-session +
 * Passport over connect-redis stay logged in once the app runs Passport on
 * latchkey (AuthSessions, migrateFrom, expressSessionCompat): their first
 * request moves the session, and Passport's user becomes the latchkey login.
 */
import { createServer } from 'node:http'
import { RedisStore as ConnectRedisStore } from 'connect-redis'
import express from 'express'
import session from 'express-session'
import { Authenticator } from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loginRequired } from '../../src/adapters/express/index.js'
import { AuthSessions } from '../../src/index.js'
import { expressSessionSource } from '../../src/stores/express/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { passportOn, route, USERS, type User } from '../passport/app.js'
import { cookiePair, request, type Served, served } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

const SECRET = 'the express-session secret'
const json = { 'content-type': 'application/json' }
type Client = ReturnType<typeof createClient>

/** The app before the switch: Passport on express-session over connect-redis. */
function legacyApp(client: Client): express.Express {
  const passport = new Authenticator()
  passport.use(
    new LocalStrategy({ usernameField: 'user' }, (username, password, done) => {
      const user = USERS.get(username)
      done(null, user && user.password === password ? { id: user.id, name: user.name } : false)
    }),
  )
  passport.serializeUser<string>((user, done) => done(null, (user as User).id))
  const app = express()
  app.use(express.json())
  app.use(
    session({
      store: new ConnectRedisStore({ client }),
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
    }),
  )
  app.use(passport.initialize())
  app.use(passport.session())
  app.post('/login', passport.authenticate('local'), (_req, res) => {
    res.json({ ok: true })
  })
  return app
}

describeRedis('migrating a Passport app from express-session', () => {
  let redis: RedisServer
  let client: Client
  let legacy: Served
  let current: Served
  let auth: AuthSessions

  beforeAll(async () => {
    redis = await startRedis()
    client = createClient({ url: redis.server.url })
    await client.connect()
    legacy = await served(createServer(legacyApp(client)).listen(0, '127.0.0.1'))
    auth = new AuthSessions({
      store: new RedisStore({ client, prefix: 'latchkey:' }),
      cookie: { secure: false },
      migrateFrom: expressSessionSource({
        store: new ConnectRedisStore({ client }),
        secret: SECRET,
      }),
    })
    const app = express()
    app.use(express.json())
    passportOn(app, auth)
    app.get(
      '/account',
      loginRequired(auth),
      route(async (req, res) => {
        res.json({ passport: (req.user as User).id, latchkey: await auth.of(req).currentUserId() })
      }),
    )
    current = await served(createServer(app).listen(0, '127.0.0.1'))
  })
  afterAll(async () => {
    await current?.close()
    await legacy?.close()
    await auth?.close()
    client?.destroy()
    await redis?.dispose()
  })

  it('keeps a logged-in user logged in across the switch, as a latchkey login', async () => {
    const login = await request(`${legacy.url}/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ user: 'alice', password: 'wonderland' }),
    })
    const old = cookiePair(login, 'connect.sid') as string
    expect(old).toMatch(/^connect\.sid=s%3A/)
    expect(await client.keys('sess:*')).toHaveLength(1)

    const first = await request(`${current.url}/account`, { cookie: old })
    expect(first.status).toBe(200)
    expect(first.json()).toEqual({ passport: 'alice', latchkey: 'alice' })
    const cookie = cookiePair(first, 'SECURE_SESSION') as string
    expect(cookie).toMatch(/^SECURE_SESSION=[A-Za-z0-9_-]{43}$/)
    expect(first.setCookies.filter((c) => c.startsWith('SECURE_SESSION='))).toHaveLength(1)
    expect(first.setCookies.some((c) => c.startsWith('connect.sid=; Max-Age=0'))).toBe(true)
    expect(await client.keys('sess:*')).toHaveLength(0)

    // The new cookie alone, and the user is in latchkey's per-user index.
    const next = await request(`${current.url}/account`, { cookie })
    expect(next.json()).toEqual({ passport: 'alice', latchkey: 'alice' })
    const devices = await auth.listSessions('alice')
    expect(devices).toHaveLength(1)
  })

  it('gives an express-session cookie with no login an anonymous session, behind the guard', async () => {
    const reply = await request(`${current.url}/account`, { cookie: 'connect.sid=s%3Anope.sig' })
    expect(reply.status).toBe(401)
  })
})
