import type mysql from 'mysql2/promise'
import type pg from 'pg'
import superjson from 'superjson'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { RequestSessions } from '../../src/adapters/request-sessions.js'
import { hashSessionId, type SessionStore, Sessions } from '../../src/index.js'
import { MySQLStore } from '../../src/stores/mysql/index.js'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { connectClient, type TestClient } from '../redis/clients.js'
import { poolOn as mysqlPool } from '../sql/mysql-target.js'
import { poolOn as postgresPool } from '../sql/postgres-target.js'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

/**
 * A custom serializer through a real server store: 40 concurrent locked
 * requests add to a Map and keep a Date, and the last request reads both back
 * as themselves. Resolves to the session's stored key.
 */
async function roundTrip(store: SessionStore): Promise<string> {
  const manager = new Sessions({ store, serializer: superjson, cookie: { secure: false } })
  const since = new Date('2026-12-03T09:30:00.123Z')
  const first = new RequestSessions({ cookie: undefined }, [manager])
  await first.get(manager).withLock((s) => {
    s.set('since', since)
    s.set('items', new Map())
  })
  const cookie = String((await first.finish())[0]).split(';')[0]
  await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const request = new RequestSessions({ cookie }, [manager])
      await request.get(manager).withLock((s) => {
        const items = new Map(s.get('items') as Map<string, number>)
        items.set(`item-${i}`, i)
        s.set('items', items)
      })
      await request.finish()
    }),
  )
  const last = new RequestSessions({ cookie }, [manager]).get(manager)
  const items = (await last.get('items')) as Map<string, number> | undefined
  expect(items).toBeInstanceOf(Map)
  expect(items?.size).toBe(40)
  expect(await last.get('since')).toEqual(since)
  return hashSessionId(String(cookie?.split('=')[1]))
}

describeRedis('a custom serializer on RedisStore', () => {
  let redis: RedisServer
  let connection: TestClient
  beforeAll(async () => {
    redis = await startRedis()
    connection = await connectClient('node-redis', redis.server.port)
  })
  afterAll(async () => {
    await connection?.close()
    await redis?.dispose()
  })

  it('keeps the serialized data and reads it back under the lock', async () => {
    const store = new RedisStore({ client: connection.client, prefix: 'serializer:' })
    const key = await roundTrip(store)
    expect(typeof (await store.get(key))?.data).toBe('string')
  })
})

describeWithPostgres('a custom serializer on PostgresStore', () => {
  let server: PostgresServer
  let pool: pg.Pool
  beforeAll(async () => {
    server = await startPostgres()
    pool = postgresPool(server.connection, 4)
  })
  afterAll(async () => {
    await pool?.end()
    await server?.stop()
  })

  it('keeps the serialized data as a jsonb string and reads it back under the lock', async () => {
    const store = new PostgresStore({ client: pool, table: 'serialized_sessions' })
    await store.migrate()
    const key = await roundTrip(store)
    const { rows } = await pool.query(
      'SELECT jsonb_typeof(data) AS type FROM serialized_sessions WHERE key = $1',
      [key],
    )
    expect(rows).toEqual([{ type: 'string' }])
    await store.close()
  })
})

describeWithMySQL('a custom serializer on MySQLStore', () => {
  let server: MySQLServer
  let pool: mysql.Pool
  beforeAll(async () => {
    server = await startMySQL()
    pool = mysqlPool(server.connection, 4)
  })
  afterAll(async () => {
    await pool?.end()
    await server?.stop()
  })

  it('keeps the serialized data as a JSON string and reads it back under the lock', async () => {
    const store = new MySQLStore({ client: pool, table: 'serialized_sessions' })
    await store.migrate()
    const key = await roundTrip(store)
    const [rows] = await pool.query(
      'SELECT JSON_TYPE(data) AS type FROM serialized_sessions WHERE session_key = ?',
      [key],
    )
    expect(rows).toEqual([{ type: 'STRING' }])
    await store.close()
  })
})
