import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SessionConfigError, SessionLockTimeoutError, SessionStoreError } from '../../src/index.js'
import { SQLiteStore } from '../../src/stores/sqlite/index.js'
import { newKey, recordOf, type TempDir, tempDir } from './fixtures.js'

describe('SQLiteStore', () => {
  let temp: TempDir
  beforeAll(async () => {
    temp = await tempDir()
  })
  afterAll(() => temp?.remove())

  it('ships the SQL that migrate() runs, and migrates idempotently', async () => {
    const file = await readFile(new URL('../../sql/sqlite.sql', import.meta.url), 'utf8')
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    expect(file.trimEnd().endsWith(store.schemaSql())).toBe(true)
    await Promise.all([store.migrate(), store.migrate()])
    const raw = new Database(temp.file)
    raw.exec(file)
    raw.close()
    await store.migrate()
    await store.close()
  })

  it('puts the file it opens in WAL mode', async () => {
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0, busyTimeout: 0.25 })
    const raw = new Database(temp.file)
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()
    await store.close()
  })

  it('keeps sessions, their user index and their locks through closing and reopening the file', async () => {
    const first = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    await first.migrate()
    const key = newKey()
    const record = recordOf({ kept: true }, 600, {
      userId: 'dana',
      absoluteExpiresAt: Date.now() + 900_000,
    })
    await first.set(key, record, 600)
    const held = newKey()
    await first.lock(held, { leaseMs: 60_000, waitMs: 1000 })
    await first.close()

    const second = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    expect(await second.get(key)).toEqual(record)
    expect((await second.listByUser('dana')).map((s) => s.key)).toEqual([key])
    await expect(second.lock(held, { leaseMs: 1000, waitMs: 50 })).rejects.toThrow(
      SessionLockTimeoutError,
    )
    const lease = await second.lock(key, { leaseMs: 2000, waitMs: 1000 })
    expect(lease.record?.data).toEqual({ kept: true })
    expect(await lease.commit({ type: 'set', record: recordOf({ n: 1 }), ttlSeconds: 60 })).toBe(
      true,
    )
    await second.close()
  })

  it('ignores an expired row on read, and the sweep deletes it but not a live lease', async () => {
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    await store.migrate()
    await store.sweep()
    const expired = newKey()
    const locked = newKey()
    const live = newKey()
    await store.set(expired, recordOf({ old: true }, 0.05), 60)
    await store.set(live, recordOf({ live: true }, 60), 60)
    await store.set(locked, recordOf({ locked: true }, 0.05), 60)
    const lease = await store.lock(locked, { leaseMs: 10_000, waitMs: 1000 })
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(await store.get(expired)).toBeUndefined()
    expect(await store.sweep()).toBe(1)
    expect(await store.get(live)).toBeDefined()
    // Its holder lets go of a row that is no longer a live session: the row goes with the lease.
    expect(await lease.commit()).toBe(true)
    expect(await store.sweep()).toBe(0)
    await store.close()
  })

  it('sweeps by itself every sweepInterval, in batches of sweepBatchSize', async () => {
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0.1, sweepBatchSize: 2 })
    await store.migrate()
    const keys = Array.from({ length: 5 }, () => newKey())
    for (const key of keys) await store.set(key, recordOf({}, 0.01), 60)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const raw = new Database(temp.file)
    const placeholders = keys.map(() => '?').join(', ')
    const left = raw
      .prepare(`SELECT count(*) AS n FROM latchkey_sessions WHERE session_key IN (${placeholders})`)
      .get(...keys)
    raw.close()
    expect(left).toEqual({ n: 0 })
    await store.close()
  })

  it('uses a database it was given and leaves it open', async () => {
    const database = new Database(join(temp.dir, 'own.db'))
    const store = new SQLiteStore({ database, table: 'web_sessions', sweepInterval: 0 })
    await store.migrate()
    const key = newKey()
    await store.set(key, recordOf({ own: 1 }), 60)
    await store.close()
    expect(database.open).toBe(true)
    expect(database.prepare('SELECT data FROM web_sessions').get()).toEqual({ data: '{"own":1}' })
    database.close()
  })

  it('answers SessionStoreError when another process holds the write lock past busyTimeout, and takes it as a held lock', async () => {
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0, busyTimeout: 0.1 })
    await store.migrate()
    const key = newKey()
    await store.set(key, recordOf({ n: 0 }), 60)
    const other = new Database(temp.file)
    other.exec('BEGIN IMMEDIATE')
    try {
      const started = performance.now()
      await expect(store.set(key, recordOf({ n: 1 }), 60)).rejects.toThrow(SessionStoreError)
      expect(performance.now() - started).toBeGreaterThanOrEqual(90)
      // Readers never wait for the writer in WAL mode.
      expect((await store.get(key))?.data).toEqual({ n: 0 })
      await expect(store.lock(key, { leaseMs: 1000, waitMs: 250 })).rejects.toThrow(
        SessionLockTimeoutError,
      )
    } finally {
      other.exec('COMMIT')
      other.close()
    }
    const lease = await store.lock(key, { leaseMs: 1000, waitMs: 250 })
    expect(await lease.commit({ type: 'set', record: recordOf({ n: 2 }), ttlSeconds: 60 })).toBe(
      true,
    )
    await store.close()
  })

  it('gives back the lock of a commit that failed on a busy database, once it is free again', async () => {
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0, busyTimeout: 0.05 })
    const next = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    await store.migrate()
    const key = newKey()
    await store.set(key, recordOf({ n: 0 }), 60)
    const lease = await store.lock(key, { leaseMs: 10_000, waitMs: 1000 })
    const other = new Database(temp.file)
    other.exec('BEGIN IMMEDIATE')
    try {
      await expect(
        lease.commit({ type: 'set', record: recordOf({ n: 1 }), ttlSeconds: 60 }),
      ).rejects.toThrow(SessionStoreError)
    } finally {
      other.exec('COMMIT')
      other.close()
    }
    const started = Date.now()
    const taken = await next.lock(key, { leaseMs: 1000, waitMs: 2000 })
    // Long before the 10 s lease ends; the change was not applied.
    expect(Date.now() - started).toBeLessThan(1000)
    expect(taken.record?.data).toEqual({ n: 0 })
    await taken.commit()
    await Promise.all([store.close(), next.close()])
  })

  it('refuses a file that is not a database with a coded error', async () => {
    const path = join(temp.dir, 'not-a-database.db')
    await writeFile(
      path,
      'this is not an SQLite file, just text long enough to have a header.'.repeat(20),
    )
    expect(() => new SQLiteStore({ path })).toThrow(SessionStoreError)
    expect(() => new SQLiteStore({ path })).toThrow(/not-a-database\.db: file is not a database/)
  })

  it('refuses a table of that name that is not a session table', async () => {
    const database = new Database(join(temp.dir, 'foreign.db'))
    database.exec('CREATE TABLE latchkey_sessions (id INTEGER PRIMARY KEY, name TEXT)')
    const store = new SQLiteStore({ database, sweepInterval: 0 })
    await expect(store.migrate()).rejects.toThrow(SessionConfigError)
    await expect(store.migrate()).rejects.toThrow(/no session_key, data, meta/)
    database.close()
  })

  it('answers SessionStoreError before migrate() and after close(), which may be called again', async () => {
    const store = new SQLiteStore({ path: join(temp.dir, 'empty.db'), sweepInterval: 0 })
    await expect(store.get(newKey())).rejects.toThrow(SessionStoreError)
    await store.close()
    await expect(store.get(newKey())).rejects.toThrow(SessionStoreError)
    // Every manager on the store closes it.
    await store.close()
  })

  it.each([
    [{}, /either `path`/],
    [{ path: 'a.db', database: new Database(':memory:') }, /not both/],
    [{ database: {} }, /exec\(\) and prepare\(\)/],
    [{ path: '' }, /must be a file name/],
    [{ path: ':memory:', table: 'x"; DROP TABLE users; --' }, /plain SQL identifier/],
    [{ path: ':memory:', table: 'sqlite_master' }, /plain SQL identifier/],
    [{ path: ':memory:', table: 'a'.repeat(49) }, /plain SQL identifier/],
    [{ path: ':memory:', busyTimeout: -1 }, /busyTimeout/],
    [{ path: ':memory:', sweepBatchSize: 0 }, /sweepBatchSize/],
  ])('refuses %j in the constructor', (options, message) => {
    expect(() => new SQLiteStore(options as never)).toThrow(SessionConfigError)
    expect(() => new SQLiteStore(options as never)).toThrow(message)
  })
})
