import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import PGStore from 'connect-pg-simple'
import { RedisStore as ConnectRedisStore } from 'connect-redis'
import session from 'express-session'
import type pg from 'pg'
import { createClient } from 'redis'
import sessionFileStore from 'session-file-store'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SessionConfigError } from '../../src/index.js'
import { fromExpressStore } from '../../src/stores/express/index.js'
import { storeConformance } from '../../src/testing/index.js'
import { poolOn } from '../sql/postgres-target.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

// Express stores have no lock, no faithful touch and no per-user index: the suite checks that
// none is declared, and runs the basic cases.
const capabilities = { touch: false, lock: false, userIndex: false }

describeRedis('fromExpressStore(connect-redis) conformance', () => {
  let redis: RedisServer
  let client: ReturnType<typeof createClient>
  beforeAll(async () => {
    redis = await startRedis()
    client = createClient({ url: redis.server.url })
    await client.connect()
  })
  afterAll(async () => {
    client?.destroy()
    await redis?.dispose()
  })

  const cases = storeConformance({
    create: () => fromExpressStore(new ConnectRedisStore({ client, prefix: 'conformance:' })),
    capabilities,
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)

  it('stores the record where connect-redis computes its TTL from the cookie', async () => {
    const store = fromExpressStore(new ConnectRedisStore({ client, prefix: 'ttl:' }))
    const now = Date.now()
    const record = { data: { n: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + 120_000 }
    await store.set('key-1', record, 120)
    const ttl = await client.ttl('ttl:key-1')
    expect(ttl).toBeGreaterThan(115)
    expect(ttl).toBeLessThanOrEqual(120)
    const raw = JSON.parse((await client.get('ttl:key-1')) ?? '{}')
    expect(raw.cookie.originalMaxAge).toBe(120_000)
    expect(raw.latchkey).toEqual(record)
  })
})

describeWithPostgres('fromExpressStore(connect-pg-simple) conformance', () => {
  let server: PostgresServer
  let pool: pg.Pool
  const PostgresSessionStore = PGStore(session)
  const stores: InstanceType<typeof PostgresSessionStore>[] = []
  beforeAll(async () => {
    server = await startPostgres()
    pool = poolOn(server.connection, 4)
  })
  afterAll(async () => {
    for (const store of stores) await store.close()
    await pool?.end()
    await server?.stop()
  })

  const cases = storeConformance({
    create: () => {
      const store = new PostgresSessionStore({
        pool,
        createTableIfMissing: true,
        pruneSessionInterval: false,
      })
      stores.push(store)
      return fromExpressStore(store)
    },
    capabilities,
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)

  it('stores the expiry connect-pg-simple sweeps by', async () => {
    const store = new PostgresSessionStore({ pool, pruneSessionInterval: false })
    stores.push(store)
    const now = Date.now()
    const record = { data: { n: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + 600_000 }
    await fromExpressStore(store).set('key-pg', record, 600)
    const { rows } = await pool.query<{ expire: Date }>(
      'SELECT expire FROM session WHERE sid = $1',
      ['key-pg'],
    )
    const expire = rows[0]?.expire.getTime() ?? 0
    expect(Math.abs(expire - (now + 600_000))).toBeLessThan(5_000)
  })
})

describe('fromExpressStore(session-file-store) conformance', () => {
  const FileStore = sessionFileStore(session)
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-file-store-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const cases = storeConformance({
    create: () =>
      fromExpressStore(new FileStore({ path: dir, retries: 0, reapInterval: -1, logFn: () => {} })),
    capabilities,
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
})

describe('fromExpressStore', () => {
  it('refuses what is not an express-session store', () => {
    expect(() => fromExpressStore({} as never)).toThrow(SessionConfigError)
    expect(() => fromExpressStore({ get() {}, set() {} } as never)).toThrow(/destroy/)
  })

  it('names itself after the store, or as told', () => {
    expect(fromExpressStore(new session.MemoryStore()).name).toBe('express:MemoryStore')
    expect(fromExpressStore(new session.MemoryStore(), { name: 'legacy' }).name).toBe('legacy')
  })
})
