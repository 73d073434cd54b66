import { readFile } from 'node:fs/promises'
import type pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SessionConfigError, SessionUsageError } from '../../src/index.js'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { newKey, poolOn, recordOf } from './fixtures.js'

describeWithPostgres('PostgresStore', () => {
  let server: PostgresServer
  let pool: pg.Pool
  let store: PostgresStore
  beforeAll(async () => {
    server = await startPostgres()
    pool = poolOn(server.connection, 4)
    store = new PostgresStore({ client: pool })
    await store.migrate()
  })
  afterAll(async () => {
    await store?.close()
    await pool?.end()
    await server?.stop()
  })

  it('ships the SQL that migrate() runs', async () => {
    const file = await readFile(new URL('../../sql/postgres.sql', import.meta.url), 'utf8')
    expect(file.endsWith(store.schemaSql())).toBe(true)
    await pool.query(file)
  })

  it('migrates idempotently, concurrently too, in any schema', async () => {
    await pool.query('CREATE SCHEMA app')
    const other = new PostgresStore({ client: pool, schema: 'app', table: 'Web_Sessions' })
    await Promise.all([other.migrate(), other.migrate(), other.migrate()])
    await other.migrate()
    const key = newKey()
    await other.set(key, recordOf({ a: 1 }), 60)
    expect((await other.get(key))?.data).toEqual({ a: 1 })
    expect(await store.get(key)).toBeUndefined()
    const { rows } = await pool.query(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'app' ORDER BY indexname`,
    )
    expect(rows.map((r) => r.indexname)).toEqual([
      'Web_Sessions_expires_at_idx',
      'Web_Sessions_pkey',
      'Web_Sessions_user_id_idx',
    ])
    await other.close()
  })

  it('re-runs on a busy table without waiting for its readers and writers', async () => {
    const busy = await pool.connect()
    try {
      await busy.query('BEGIN')
      await busy.query('LOCK TABLE latchkey_sessions IN ROW EXCLUSIVE MODE')
      await store.migrate()
    } finally {
      await busy.query('ROLLBACK')
      busy.release()
    }
  })

  it('upgrades a table that lacks the newer columns', async () => {
    await pool.query(`CREATE TABLE public.old_sessions (
      key text PRIMARY KEY, data jsonb NOT NULL, user_id text, created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL, expires_at timestamptz NOT NULL)`)
    const old = new PostgresStore({ client: pool, table: 'old_sessions' })
    await old.migrate()
    const key = newKey()
    const lease = await old.lock(key, { leaseMs: 1000, waitMs: 1000 })
    await lease.commit()
    await old.set(key, recordOf({ upgraded: true }, 60, { persistent: true }), 60)
    expect(await old.get(key)).toMatchObject({ data: { upgraded: true }, persistent: true })
    await old.close()
  })

  it('refuses names that are not plain identifiers and clients without query()', () => {
    for (const table of ['a-b', 'x"; DROP TABLE y; --', '1abc', '', 'a'.repeat(49)]) {
      expect(() => new PostgresStore({ client: pool, table })).toThrow(SessionConfigError)
    }
    expect(() => new PostgresStore({ client: pool, schema: 'public.x' })).toThrow(
      SessionConfigError,
    )
    expect(() => new PostgresStore({ client: {} as pg.Pool })).toThrow(SessionConfigError)
    expect(() => new PostgresStore({ client: pool, queryTimeout: 0 })).toThrow(SessionConfigError)
    expect(() => new PostgresStore({ client: pool, sweepBatchSize: 0.5 })).toThrow(
      SessionConfigError,
    )
  })

  it('works without prepared statements, for poolers that cannot keep them', async () => {
    const unprepared = new PostgresStore({ client: pool, preparedStatements: false })
    const key = newKey()
    await unprepared.set(key, recordOf({ v: 1 }), 60)
    const lease = await unprepared.lock(key, { leaseMs: 1000, waitMs: 1000 })
    expect(lease.record?.data).toEqual({ v: 1 })
    await lease.commit({ type: 'set', record: recordOf({ v: 2 }), ttlSeconds: 60 })
    expect((await unprepared.get(key))?.data).toEqual({ v: 2 })
    await unprepared.close()
    expect(
      () => new PostgresStore({ client: pool, preparedStatements: 'yes' as unknown as boolean }),
    ).toThrow(SessionConfigError)
  })

  it('round-trips a record exactly, control fields included', async () => {
    const key = newKey()
    const record = recordOf({ cart: [1, 2], nested: { ok: true, s: 'é ✓ 😀' }, n: null }, 60, {
      user: { id: 'u1', roles: ['admin'] },
      userId: 'u1',
      persistent: false,
      ttl: 3600,
      userAgent: 'test',
      absoluteExpiresAt: Date.now() + 120_000,
    })
    await store.set(key, record, 60)
    expect(await store.get(key)).toEqual(record)
    expect(await store.get(newKey())).toBeUndefined()
  })

  it('caps expiry at ttlSeconds and ignores expired rows', async () => {
    const key = newKey()
    await store.set(key, recordOf({ a: 1 }, 3600), 1)
    const read = await store.get(key)
    expect(read?.expiresAt).toBeLessThanOrEqual(Date.now() + 1000)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(await store.get(key)).toBeUndefined()
  })

  it('overwrites, deletes, and touches without rewriting data', async () => {
    const key = newKey()
    await store.set(key, recordOf({ v: 1 }), 60)
    await store.set(key, recordOf({ v: 2 }), 60)
    expect((await store.get(key))?.data).toEqual({ v: 2 })
    const later = Date.now() + 5000
    await store.touch(key, { lastSeenAt: later, expiresAt: later + 600_000 }, 600)
    const touched = await store.get(key)
    expect(touched?.lastSeenAt).toBe(later)
    expect(touched?.data).toEqual({ v: 2 })
    await store.delete(key)
    await store.delete(key)
    expect(await store.get(key)).toBeUndefined()
    await store.touch(key, { lastSeenAt: later, expiresAt: later + 1000 }, 60)
    expect(await store.get(key)).toBeUndefined()
  })

  it('indexes sessions by user', async () => {
    const [a, b, c, expired] = [newKey(), newKey(), newKey(), newKey()]
    await store.set(a, recordOf({ n: 'a' }, 60, { userId: 'alice' }), 60)
    await store.set(b, recordOf({ n: 'b' }, 60, { userId: 'alice' }), 60)
    await store.set(c, recordOf({ n: 'c' }, 60, { userId: 'bob' }), 60)
    await store.set(expired, recordOf({}, -1, { userId: 'alice' }), 1)
    const listed = await store.listByUser('alice')
    expect(listed.map((s) => s.key).sort()).toEqual([a, b].sort())
    expect(listed.find((s) => s.key === a)?.record.data).toEqual({ n: 'a' })
    expect(await store.deleteByUser('alice', { exceptKey: a })).toEqual([b])
    expect((await store.listByUser('alice')).map((s) => s.key)).toEqual([a])
    expect(await store.deleteByUser('alice')).toEqual([a])
    expect(await store.listByUser('alice')).toEqual([])
    expect((await store.listByUser('bob')).map((s) => s.key)).toEqual([c])
  })

  it('sweeps expired rows in batches, keeping live ones and held locks', async () => {
    const sweeper = new PostgresStore({ client: pool, sweepBatchSize: 2, sweepInterval: 0 })
    await sweeper.sweep()
    const live = newKey()
    await store.set(live, recordOf({ live: true }), 60)
    for (let i = 0; i < 5; i++) await store.set(newKey(), recordOf({ i }, -10), 1)
    const locked = newKey()
    const lease = await store.lock(locked, { leaseMs: 5000, waitMs: 1000 })
    await pool.query(
      `UPDATE latchkey_sessions SET expires_at = now() - interval '1 minute' WHERE key = $1`,
      [locked],
    )
    expect(await sweeper.sweep()).toBe(5)
    expect(await store.get(live)).toBeDefined()
    const { rows } = await pool.query('SELECT 1 FROM latchkey_sessions WHERE key = $1', [locked])
    expect(rows).toHaveLength(1)
    await lease.commit()
    await sweeper.close()
  })

  it('sweeps by itself on an unref()d timer that close() stops', async () => {
    const sweeper = new PostgresStore({ client: pool, sweepInterval: 0.1 })
    const key = newKey()
    await store.set(key, recordOf({}, -10), 1)
    await new Promise((resolve) => setTimeout(resolve, 400))
    const { rows } = await pool.query('SELECT 1 FROM latchkey_sessions WHERE key = $1', [key])
    expect(rows).toHaveLength(0)
    await sweeper.close()
    await store.set(key, recordOf({}, -10), 1)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const after = await pool.query('SELECT 1 FROM latchkey_sessions WHERE key = $1', [key])
    expect(after.rows).toHaveLength(1)
  })

  it('refuses data jsonb cannot hold with a usage error, not a 503', async () => {
    await expect(store.set(newKey(), recordOf({ s: 'a\u0000b' }), 60)).rejects.toThrow(
      SessionUsageError,
    )
  })
})
