import Fastify, { type FastifyInstance } from 'fastify'
import type pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { AuthSessions, hashSessionId, type SessionStore, Sessions } from '../../src/index.js'
import { CookieStore, generateKey } from '../../src/stores/cookie/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { connectClient, type TestClient } from '../redis/clients.js'
import { poolOn } from '../sql/postgres-target.js'
import { CookieJar, listen } from '../support/http.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

type Reports = Array<{ store: string; operation: string }>

/** A Fastify app with a plain and an auth manager on the same primary and mirrors. */
async function serve(
  primary: SessionStore | CookieStore,
  mirrors: SessionStore[],
  extra: { mirrorFailure?: 'fail'; reports?: Reports } = {},
) {
  const common = {
    store: primary,
    mirrors,
    warnLock: false,
    mirrorTimeout: 0.5,
    ...(extra.mirrorFailure ? { mirrorFailure: extra.mirrorFailure } : {}),
    onError: (_error: unknown, context: { store: string; operation: string }) =>
      extra.reports?.push(context),
  }
  const sessions = new Sessions(common)
  const auth = new AuthSessions({ ...common, cookie: { name: 'AUTH' } })
  const app = Fastify()
  apps.push(app)
  await app.register(latchkey(sessions, auth))
  app.get('/set', async (req) =>
    req.session.withLock((s) => s.set('v', 1)).then(() => ({ ok: true })),
  )
  app.get('/regenerate', async (req) => req.session.regenerate().then(() => ({ ok: true })))
  app.get('/destroy', async (req) => req.session.destroy().then(() => ({ ok: true })))
  app.get('/anon', async (req) =>
    req.authSession.withLock((s) => s.set('cart', ['apple'])).then(() => ({ ok: true })),
  )
  app.get('/login', async (req) =>
    req.authSession.login({ id: 'ada' }, { keepData: true }).then(() => ({ ok: true })),
  )
  return { base: await listen(app) }
}

/** The session a jar's cookie names, keyed as every store keys it. */
function keyOf(jar: CookieJar, cookie: string, primary: SessionStore | CookieStore): string {
  const value = jar.get(cookie) ?? ''
  if (!(primary instanceof CookieStore)) return hashSessionId(value)
  const id = primary.unseal(decodeURIComponent(value), 3600)?.record.id ?? ''
  return hashSessionId(id)
}

/** The scenarios every primary/mirror combination must pass. */
function combination(
  name: string,
  make: () => { primary: SessionStore | CookieStore; mirror: SessionStore },
) {
  describe(name, () => {
    it('writes, rotations and deletes reach the mirror under the same hashed key', async () => {
      const { primary, mirror } = make()
      const { base } = await serve(primary, [mirror])
      const jar = new CookieJar()
      await jar.fetch(`${base}/set`)
      const first = keyOf(jar, 'SESSION', primary)
      expect((await mirror.get(first))?.data).toEqual({ v: 1 })
      if (!(primary instanceof CookieStore))
        expect((await mirror.get(first))?.expiresAt).toBe((await primary.get(first))?.expiresAt)

      await jar.fetch(`${base}/regenerate`)
      const second = keyOf(jar, 'SESSION', primary)
      expect(second).not.toBe(first)
      expect(await mirror.get(first)).toBeUndefined()
      expect((await mirror.get(second))?.data).toEqual({ v: 1 })

      await jar.fetch(`${base}/destroy`)
      expect(await mirror.get(second)).toBeUndefined()
      if (!(primary instanceof CookieStore)) expect(await primary.get(second)).toBeUndefined()
    })

    it('login rotates the id in every store: the anonymous record is gone everywhere', async () => {
      const { primary, mirror } = make()
      const { base } = await serve(primary, [mirror])
      const jar = new CookieJar()
      await jar.fetch(`${base}/anon`)
      const anonymous = keyOf(jar, 'AUTH', primary)
      await jar.fetch(`${base}/login`)
      const loggedIn = keyOf(jar, 'AUTH', primary)
      expect(loggedIn).not.toBe(anonymous)
      for (const store of primary instanceof CookieStore ? [mirror] : [primary, mirror]) {
        expect(await store.get(anonymous)).toBeUndefined()
        expect(await store.get(loggedIn)).toMatchObject({
          userId: 'ada',
          data: { cart: ['apple'] },
        })
      }
    })
  })
}

describeRedis('primary and mirrors across real stores', () => {
  let redis: RedisServer
  let client: TestClient
  beforeAll(async () => {
    redis = await startRedis()
    client = await connectClient('node-redis', redis.server.port)
  })
  afterAll(async () => {
    await client?.close()
    await redis?.dispose()
  })

  combination('memory → Redis', () => ({
    primary: new MemoryStore(),
    mirror: new RedisStore({ client: client.client, prefix: 'mirror:' }),
  }))
  combination('cookie → Redis', () => ({
    primary: new CookieStore({ keys: generateKey() }),
    mirror: new RedisStore({ client: client.client, prefix: 'mirror:' }),
  }))

  it('a Redis mirror that is down is reported and the request succeeds; with "fail" it is a 503', async () => {
    const down = await startRedis()
    const downClient = await connectClient('ioredis', down.server.port)
    down.server.freeze()
    try {
      const reports: Reports = []
      const mirror = new RedisStore({
        client: downClient.client,
        prefix: 'mirror:',
        commandTimeout: 0.3,
      })
      const report = await serve(new MemoryStore(), [mirror], { reports })
      const ok = await new CookieJar().fetch(`${report.base}/set`)
      expect(ok.status).toBe(200)
      expect(reports).toEqual([{ store: 'redis', operation: 'set' }])
      const strict = await serve(new MemoryStore(), [mirror], { mirrorFailure: 'fail' })
      const failed = await new CookieJar().fetch(`${strict.base}/set`)
      expect(failed.status).toBe(503)
      expect(failed.headers.get('retry-after')).toBe('1')
    } finally {
      down.server.thaw()
      await downClient.close()
      await down.dispose()
    }
  })

  describeWithPostgres('with PostgreSQL', () => {
    let postgres: PostgresServer
    let pool: pg.Pool
    beforeAll(async () => {
      postgres = await startPostgres()
      pool = poolOn(postgres.connection, 4)
      await new PostgresStore({ client: pool, sweepInterval: 0 }).migrate()
    })
    afterAll(async () => {
      await pool?.end()
      await postgres?.stop()
    })

    combination('Redis → PostgreSQL', () => ({
      primary: new RedisStore({ client: client.client, prefix: 'primary:' }),
      mirror: new PostgresStore({ client: pool, sweepInterval: 0 }),
    }))
  })
})

describe('a cookie store cannot be a mirror', () => {
  it('is refused at construction with a coded error', () => {
    expect(
      () =>
        new Sessions({
          store: new MemoryStore(),
          mirrors: [new CookieStore({ keys: generateKey() })],
        }),
    ).toThrow(expect.objectContaining({ code: 'LATCHKEY_CONFIG' }))
  })
})
