import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { RedisStore, sanicCookiesRedisSource } from '../../src/stores/redis/index.js'
import { cookiePair, listen, request } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

/**
 * `ujson.dumps` with its defaults, as sanic-cookies' interfaces encode
 * (spec §5.0): compact, `/` escaped, non-ASCII as `\uXXXX`.
 */
function ujsonDumps(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('/', '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** `uuid.uuid4().hex`, sanic-cookies' default sid. */
function sid(): string {
  return randomUUID().replaceAll('-', '')
}

interface SessionReply {
  id: string | null
  data: Record<string, unknown>
}

describeRedis('migrating from sanic-cookies (Aioredis interface)', () => {
  let redis: RedisServer
  let writer: ReturnType<typeof createClient>
  let reader: Redis
  const apps: FastifyInstance[] = []

  beforeAll(async () => {
    redis = await startRedis()
    writer = createClient({ url: redis.server.url })
    await writer.connect()
    reader = new Redis(redis.server.port, '127.0.0.1')
  })
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()))
    reader?.disconnect()
    writer?.destroy()
    await redis?.dispose()
  })

  /** What sanic-cookies' Aioredis `store` does: SETEX prefix + sid, expiry, ujson of the dict. */
  async function sanicStore(id: string, dict: Record<string, unknown>, prefix = 'session:') {
    await writer.setEx(prefix + id, 2_592_000, ujsonDumps(dict))
  }

  async function serve(sessions: Sessions | AuthSessions, property: 'session' | 'authSession') {
    const app = Fastify()
    await app.register(latchkey(sessions))
    app.get('/session', async (req) => {
      const session = property === 'session' ? req.session : req.authSession
      const data = await session.all()
      return { id: session.id ?? null, data }
    })
    apps.push(app)
    return listen(app)
  }

  it('moves a Session record; its SESSION cookie is replaced by latchkey’s of the same name', async () => {
    const url = await serve(
      new Sessions({
        store: new RedisStore({ client: writer, prefix: 'latchkey:' }),
        migrateFrom: sanicCookiesRedisSource({ client: reader }),
      }),
      'session',
    )
    const id = sid()
    const dict = { foo: 'bar', link: 'http://x/é', n: 1.5, cart: ['apple'] }
    await sanicStore(id, dict)
    expect(await writer.get(`session:${id}`)).toBe(
      '{"foo":"bar","link":"http:\\/\\/x\\/\\u00e9","n":1.5,"cart":["apple"]}',
    )

    const reply = await request(`${url}/session`, { cookie: `SESSION=${id}` })
    const body = reply.json<SessionReply>()
    expect(body.data).toEqual(dict)
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // One Set-Cookie for the name: the new session's, which replaces the sid in the browser.
    expect(reply.setCookies).toHaveLength(1)
    expect(cookiePair(reply, 'SESSION')).toBe(`SESSION=${body.id}`)
    expect(await writer.exists(`session:${id}`)).toBe(0)

    const replay = await request(`${url}/session`, { cookie: `SESSION=${id}` })
    expect(replay.json<SessionReply>()).toEqual(body)
    const next = await request(`${url}/session`, { cookie: `SESSION=${body.id}` })
    expect(next.json<SessionReply>().data).toEqual(dict)
    expect(next.setCookies).toEqual([])
  })

  it('moves an AuthSession record under its own prefix and cookie, clearing the old cookie', async () => {
    const url = await serve(
      new AuthSessions({
        store: new RedisStore({ client: writer, prefix: 'latchkey:' }),
        cookie: { name: 'auth' },
        migrateFrom: sanicCookiesRedisSource({
          client: reader,
          prefix: 'auth:',
          cookieName: 'SECURE_SESSION',
          domain: 'example.com',
        }),
      }),
      'authSession',
    )
    const id = sid()
    const dict = { current_user: { id: 7, name: 'ada' }, _remember_me: true }
    await sanicStore(id, dict, 'auth:')
    const reply = await request(`${url}/session`, { cookie: `SECURE_SESSION=${id}` })
    const body = reply.json<SessionReply>()
    expect(body.data).toEqual(dict)
    expect(cookiePair(reply, 'auth')).toBe(`auth=${body.id}`)
    expect(reply.setCookies).toContain(
      'SECURE_SESSION=; Max-Age=0; Domain=example.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    )
    expect(await writer.exists(`auth:${id}`)).toBe(0)
  })

  it('gives an unknown, expired or malformed sid an empty session, as sanic-cookies did', async () => {
    const url = await serve(
      new Sessions({
        store: new RedisStore({ client: writer, prefix: 'latchkey:' }),
        cookie: { name: 'lk' },
        migrateFrom: sanicCookiesRedisSource({ client: reader }),
      }),
      'session',
    )
    const expired = sid()
    await writer.set(`session:${expired}`, ujsonDumps({ foo: 'bar' }), { PX: 1 })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const garbage = sid()
    await writer.set(`session:${garbage}`, 'not json')
    for (const cookie of [`SESSION=${sid()}`, `SESSION=${expired}`, `SESSION=${garbage}`]) {
      const reply = await request(`${url}/session`, { cookie })
      expect(reply.json<SessionReply>()).toEqual({ id: null, data: {} })
    }
    const malformed = await request(`${url}/session`, { cookie: 'SESSION=attacker' })
    expect(malformed.json<SessionReply>()).toEqual({ id: null, data: {} })
    expect(malformed.setCookies).toEqual([])
  })
})
