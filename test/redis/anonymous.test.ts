import Fastify from 'fastify'
import { createClient } from 'redis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { AuthSessions, hashSessionId } from '../../src/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { CookieJar, listen } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

const DAY = 86_400
const MONTH = 30 * DAY

describeRedis('AuthSessions on Redis: sessions nobody logged into', () => {
  let redis: RedisServer
  let client: ReturnType<typeof createClient>
  const app = Fastify()
  let base = ''
  beforeAll(async () => {
    redis = await startRedis()
    client = createClient({ socket: { host: '127.0.0.1', port: redis.server.port } })
    await client.connect()
    // The defaults: ttl 30 days, anonymousTtl one day.
    const auth = new AuthSessions({ store: new RedisStore({ client }) })
    await app.register(latchkey(auth))
    app.post('/return-to', async (req) => {
      await req.authSession.withLock((s) => s.set('returnTo', '/account'))
      return { ok: true }
    })
    app.post('/login', async (req) => {
      await req.authSession.login('ada', { keepData: true })
      return { ok: true }
    })
    base = await listen(app)
  })
  afterAll(async () => {
    await app.close()
    client?.destroy()
    await redis?.dispose()
  })

  /** The session cookie's expiry and its record's TTL in Redis, in seconds from now. */
  async function lifetimes(jar: CookieJar, line: string | undefined) {
    const id = jar.get('SECURE_SESSION') ?? ''
    const ttl = await client.ttl(`latchkey:{${hashSessionId(id)}}`)
    const expires = Date.parse(/Expires=([^;]+)/.exec(line ?? '')?.[1] ?? '')
    return { record: ttl, cookie: Math.round((expires - Date.now()) / 1000) }
  }

  it('keeps a pre-login session a day, in Redis and in the cookie; login switches it to ttl', async () => {
    const jar = new CookieJar()
    const anonymous = await jar.fetch(`${base}/return-to`, { method: 'POST' })
    const before = await lifetimes(jar, anonymous.setCookies[0])
    expect(before.record).toBeGreaterThan(DAY - 60)
    expect(before.record).toBeLessThanOrEqual(DAY)
    expect(Math.abs(before.cookie - DAY)).toBeLessThan(60)

    const login = await jar.fetch(`${base}/login`, { method: 'POST' })
    const after = await lifetimes(jar, login.setCookies[0])
    expect(after.record).toBeGreaterThan(MONTH - 60)
    expect(after.record).toBeLessThanOrEqual(MONTH)
    expect(Math.abs(after.cookie - MONTH)).toBeLessThan(60)
  })
})
