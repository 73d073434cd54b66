import { readFile } from 'node:fs/promises'
import type pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SessionConfigError, SessionUsageError } from '../../src/index.js'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import { newKey, recordOf } from '../sql/fixtures.js'
import { poolOn } from '../sql/postgres-target.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'

describeWithPostgres('PostgresStore on PostgreSQL', () => {
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

  it('refuses data jsonb cannot hold with a usage error, not a 503', async () => {
    await expect(store.set(newKey(), recordOf({ s: 'a\u0000b' }), 60)).rejects.toThrow(
      SessionUsageError,
    )
  })
})
