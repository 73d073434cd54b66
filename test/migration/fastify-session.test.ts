/**
 * Sessions written by real @fastify/session (with @fastify/cookie) over
 * connect-redis move to latchkey's RedisStore through fastifySessionSource.
 */
import { RedisStore as ConnectRedisStore } from 'connect-redis'
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify'
import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { Sessions } from '../../src/index.js'
import { fastifySessionSource } from '../../src/stores/express/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { cookiePair, listen, request } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

/**
 * Imported by a specifier TypeScript does not resolve: @fastify/session's types declare
 * `FastifyRequest.session` (and a `Session` interface) globally, which would clash with
 * latchkey's declaration in every other test of the project.
 */
async function plugin(name: string): Promise<FastifyPluginAsync<Record<string, unknown>>> {
  return ((await import(name)) as { default: FastifyPluginAsync<Record<string, unknown>> }).default
}

const SECRET = 'a secret of at least thirty-two characters, as @fastify/session wants'
const LEGACY_PREFIX = 'sess:'

type Client = ReturnType<typeof createClient>

/** The app being replaced: @fastify/session over connect-redis, its default cookie `sessionId`. */
async function legacyApp(client: Client): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify()
  await app.register(await plugin('@fastify/cookie'))
  await app.register(await plugin('@fastify/session'), {
    secret: SECRET,
    store: new ConnectRedisStore({ client, prefix: LEGACY_PREFIX }),
    saveUninitialized: false,
    cookie: { secure: false, maxAge: 3_600_000 },
  })
  app.post('/login', async (req) => {
    // latchkey's Fastify adapter types `req.session` as its own; this app's is @fastify/session's.
    const legacySession = req.session as unknown as {
      set(key: string, value: unknown): void
      sessionId: string
    }
    legacySession.set('cart', ['apple', 'pear'])
    legacySession.set('user', { id: 'ada' })
    return { sid: legacySession.sessionId }
  })
  return { app, url: await listen(app) }
}

async function latchkeyApp(client: Client): Promise<{ app: FastifyInstance; url: string }> {
  const sessions = new Sessions({
    store: new RedisStore({ client, prefix: 'latchkey:' }),
    migrateFrom: fastifySessionSource({
      store: new ConnectRedisStore({ client, prefix: LEGACY_PREFIX }),
      secret: SECRET,
    }),
  })
  const app = Fastify()
  await app.register(latchkey(sessions))
  app.get('/session', async (req) => {
    const data = await req.session.all() // reads (and migrates) first: the id is known after it
    return { id: req.session.id ?? null, data }
  })
  return { app, url: await listen(app) }
}

interface SessionReply {
  id: string | null
  data: Record<string, unknown>
}

describeRedis('migrating from @fastify/session + connect-redis', () => {
  let redis: RedisServer
  let client: Client
  let legacy: { app: FastifyInstance; url: string }
  let current: { app: FastifyInstance; url: string }
  beforeAll(async () => {
    redis = await startRedis()
    client = createClient({ url: redis.server.url })
    await client.connect()
    legacy = await legacyApp(client)
    current = await latchkeyApp(client)
  })
  afterAll(async () => {
    await Promise.all([legacy?.app.close(), current?.app.close()])
    client?.destroy()
    await redis?.dispose()
  })

  async function loggedIn(): Promise<{ cookie: string; sid: string }> {
    const reply = await request(`${legacy.url}/login`, { method: 'POST' })
    const cookie = cookiePair(reply, 'sessionId')
    if (!cookie) throw new Error('@fastify/session set no cookie')
    return { cookie, sid: reply.json<{ sid: string }>().sid }
  }

  it('moves the data to a new latchkey session, clears sessionId, and deletes the old record', async () => {
    const { cookie, sid } = await loggedIn()
    expect(await client.exists(`${LEGACY_PREFIX}${sid}`)).toBe(1)
    const reply = await request(`${current.url}/session`, { cookie })
    const body = reply.json<SessionReply>()
    expect(body.data).toEqual({ cart: ['apple', 'pear'], user: { id: 'ada' } })
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(body.id).not.toBe(sid)
    expect(cookiePair(reply, 'SESSION')).toBe(`SESSION=${body.id}`)
    expect(reply.setCookies.some((c) => c.startsWith('sessionId=; Max-Age=0; Path=/'))).toBe(true)
    expect(await client.exists(`${LEGACY_PREFIX}${sid}`)).toBe(0)
  })

  it('refuses a forged signature or an express-session style cookie, and keeps the old session', async () => {
    const { cookie, sid } = await loggedIn()
    const forged = `${cookie.slice(0, cookie.lastIndexOf('.') + 1)}${'A'.repeat(43)}`
    expect((await request(`${current.url}/session`, { cookie: forged })).json()).toEqual({
      id: null,
      data: {},
    })
    const prefixed = cookie.replace('sessionId=', 'sessionId=s%3A')
    expect((await request(`${current.url}/session`, { cookie: prefixed })).json()).toEqual({
      id: null,
      data: {},
    })
    expect(await client.exists(`${LEGACY_PREFIX}${sid}`)).toBe(1)
  })
})
