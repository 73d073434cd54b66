import type { Server } from 'node:http'
import { RedisStore as ConnectRedisStore } from 'connect-redis'
import express from 'express'
import session from 'express-session'
import Fastify, { type FastifyInstance } from 'fastify'
import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { Sessions } from '../../src/index.js'
import { expressSessionSource } from '../../src/stores/express/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { cookiePair, listen, request, type Served, served } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

const OLD_SECRET = 'the secret the express app signed with'
const NEW_SECRET = 'the secret that replaced it'
const LEGACY_PREFIX = 'sess:'

/** The express-session app being replaced: real express-session over connect-redis. */
function legacyApp(client: ReturnType<typeof createClient>, secret: string): express.Express {
  const app = express()
  app.use(
    session({
      store: new ConnectRedisStore({ client, prefix: LEGACY_PREFIX }),
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: 3_600_000 },
    }),
  )
  app.post('/login', (req, res) => {
    // latchkey's adapters type `req.session` as theirs; this app's is express-session's.
    const legacySession = req.session as unknown as Record<string, unknown>
    legacySession.cart = ['apple', 'pear']
    legacySession.passport = { user: 'ada' }
    res.json({ sid: req.sessionID })
  })
  return app
}

/** The latchkey app taking over, reading express-session's sessions from the same Redis. */
async function latchkeyApp(
  client: ReturnType<typeof createClient>,
  secret: string | string[],
): Promise<{ app: FastifyInstance; url: string }> {
  const sessions = new Sessions({
    store: new RedisStore({ client, prefix: 'latchkey:' }),
    warnLock: false,
    migrateFrom: expressSessionSource({
      store: new ConnectRedisStore({ client, prefix: LEGACY_PREFIX }),
      secret,
    }),
  })
  const app = Fastify()
  await app.register(latchkey(sessions))
  app.get('/session', async (req) => {
    const data = await req.session.all()
    return { id: req.session.id ?? null, data }
  })
  app.post('/add', async (req) => {
    await req.session.withLock((s) =>
      s.set('cart', [...((s.get('cart') as string[]) ?? []), 'fig']),
    )
    return { id: req.session.id }
  })
  return { app, url: await listen(app) }
}

interface SessionReply {
  id: string | null
  data: Record<string, unknown>
}

describeRedis('migrating from express-session + connect-redis', () => {
  let redis: RedisServer
  let client: ReturnType<typeof createClient>
  let legacy: Served
  let rotated: Served
  let current: { app: FastifyInstance; url: string }
  let rotation: { app: FastifyInstance; url: string }
  let wrong: { app: FastifyInstance; url: string }
  beforeAll(async () => {
    redis = await startRedis()
    client = createClient({ url: redis.server.url })
    await client.connect()
    legacy = await served(legacyApp(client, OLD_SECRET).listen(0, '127.0.0.1') as Server)
    rotated = await served(legacyApp(client, NEW_SECRET).listen(0, '127.0.0.1') as Server)
    current = await latchkeyApp(client, OLD_SECRET)
    rotation = await latchkeyApp(client, [NEW_SECRET, OLD_SECRET])
    wrong = await latchkeyApp(client, 'not the secret')
  })
  afterAll(async () => {
    await Promise.all([current?.app.close(), rotation?.app.close(), wrong?.app.close()])
    await legacy?.close()
    await rotated?.close()
    client?.destroy()
    await redis?.dispose()
  })

  /** How many latchkey records in Redis hold `text` in their data. */
  async function recordsHolding(text: string): Promise<number> {
    let count = 0
    for (const key of await client.keys('latchkey:*'))
      if ((await client.type(key)) === 'hash' && (await client.hGet(key, 'r'))?.includes(text))
        count++
    return count
  }

  /** Logs in on the express-session app; its real connect.sid cookie and session id. */
  async function loggedIn(on: Served = legacy): Promise<{ cookie: string; sid: string }> {
    const reply = await request(`${on.url}/login`, { method: 'POST' })
    const cookie = cookiePair(reply, 'connect.sid')
    if (!cookie) throw new Error('express-session set no cookie')
    expect(cookie).toMatch(/^connect\.sid=s%3A/)
    return { cookie, sid: reply.json<{ sid: string }>().sid }
  }

  it('keeps the user logged in: data moved, new cookie set, old cookie cleared, legacy record gone', async () => {
    const { cookie, sid } = await loggedIn()
    expect(await client.exists(`${LEGACY_PREFIX}${sid}`)).toBe(1)

    const reply = await request(`${current.url}/session`, { cookie })
    const body = reply.json<SessionReply>()
    expect(body.data).toEqual({ cart: ['apple', 'pear'], passport: { user: 'ada' } })
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(cookiePair(reply, 'SESSION')).toBe(`SESSION=${body.id}`)
    expect(reply.setCookies).toContain(
      'connect.sid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    )
    expect(await client.exists(`${LEGACY_PREFIX}${sid}`)).toBe(0)

    const next = await request(`${current.url}/add`, {
      method: 'POST',
      cookie: `SESSION=${body.id}`,
    })
    expect(next.json<{ id: string }>().id).toBe(body.id)
    const after = await request(`${current.url}/session`, { cookie: `SESSION=${body.id}` })
    expect(after.json<SessionReply>().data.cart).toEqual(['apple', 'pear', 'fig'])
  })

  it('lets a replay of the old cookie within the window reach the same session, and nothing else', async () => {
    const { cookie } = await loggedIn()
    const first = (await request(`${current.url}/session`, { cookie })).json<SessionReply>()
    const replay = await request(`${current.url}/session`, { cookie })
    expect(replay.json<SessionReply>()).toEqual(first)
    expect(cookiePair(replay, 'SESSION')).toBe(`SESSION=${first.id}`)
    // The migration record holds the new id only sealed: no key or value of Redis shows it.
    const keys = await client.keys('*')
    for (const key of keys) {
      expect(key).not.toContain(first.id as string)
      const type = await client.type(key)
      const value =
        type === 'hash' ? JSON.stringify(await client.hGetAll(key)) : await client.get(key)
      expect(value ?? '').not.toContain(first.id as string)
    }
  })

  it('ends 20 parallel first requests with the same old cookie, over two processes, on one session', async () => {
    const { cookie } = await loggedIn()
    const before = await recordsHolding('pear')
    // Two managers with their own in-process locks, as two processes have: only Redis' lock is shared.
    const other = await latchkeyApp(client, OLD_SECRET)
    try {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(`${(i % 2 === 0 ? current : other).url}/session`, { cookie }),
        ),
      )
      const bodies = replies.map((r) => r.json<SessionReply>())
      expect(new Set(bodies.map((b) => b.id)).size).toBe(1)
      for (const body of bodies) expect(body.data.cart).toEqual(['apple', 'pear'])
      const id = bodies[0]?.id as string
      for (const reply of replies) expect(cookiePair(reply, 'SESSION')).toBe(`SESSION=${id}`)
      // One latchkey session: one more record holds the data.
      expect(await recordsHolding('pear')).toBe(before + 1)
    } finally {
      await other.app.close()
    }
  })

  it('gives a wrong secret or a tampered signature an empty session and keeps the legacy one', async () => {
    const { cookie, sid } = await loggedIn()
    const withWrongSecret = await request(`${wrong.url}/session`, { cookie })
    expect(withWrongSecret.json<SessionReply>()).toEqual({ id: null, data: {} })
    expect(withWrongSecret.setCookies).toEqual([])

    const signature = cookie.slice(cookie.lastIndexOf('.') + 1)
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`
    const tampered = `${cookie.slice(0, cookie.lastIndexOf('.') + 1)}${flipped}`
    const withTampered = await request(`${current.url}/session`, { cookie: tampered })
    expect(withTampered.json<SessionReply>()).toEqual({ id: null, data: {} })
    expect(await client.exists(`${LEGACY_PREFIX}${sid}`)).toBe(1)
  })

  it('accepts cookies of both secrets during a rotation (the old one second in the list)', async () => {
    const before = await loggedIn(legacy)
    const after = await loggedIn(rotated)
    for (const { cookie } of [before, after]) {
      const body = (await request(`${rotation.url}/session`, { cookie })).json<SessionReply>()
      expect(body.data.passport).toEqual({ user: 'ada' })
      expect(body.id).not.toBeNull()
    }
  })
})
