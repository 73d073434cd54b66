import { randomUUID } from 'node:crypto'
import { SessionConfigError } from '../../core/errors.js'
import { MAX_TIMER_SECONDS, seconds } from '../../core/seconds.js'
import type {
  IndexedSession,
  SessionStore,
  StoredRecord,
  StoreLease,
  StoreLockOptions,
  StoreStats,
} from '../../core/store.js'
import { DatabaseClock } from '../shared/database-clock.js'
import { giveBack } from '../shared/give-back.js'
import { PeriodicSweep, type SweepOptions } from '../shared/periodic-sweep.js'
import { pollLock } from '../shared/poll-lock.js'
import { toRecord } from '../shared/record-row.js'
import { recordValues } from '../shared/record-values.js'
import { statsOf } from '../shared/stats-sql.js'
import { DeadlineRunner, type PostgresClient } from './client.js'
import { type LeaseContext, PostgresLease, runInTime } from './lease.js'
import { schemaSql, type TableNames, tableNames } from './schema.js'
import { statements } from './statements.js'

/** Options of {@link PostgresStore}. */
export interface PostgresStoreOptions extends SweepOptions {
  /**
   * The application's `pg` `Pool` (or anything with a compatible `query`).
   * The store borrows a connection per statement and never holds one between
   * statements, not even while a session is locked. It never ends the pool.
   */
  client: PostgresClient
  /**
   * Table name: a plain identifier (letters, digits, `_`, at most 48 characters).
   * @default 'latchkey_sessions'
   */
  table?: string
  /**
   * Schema of the table: a plain identifier.
   * @default 'public'
   */
  schema?: string
  /**
   * Seconds every statement may take, waiting for a pooled connection included,
   * before it fails with `SessionStoreError` (a 503). The connection of a
   * statement that timed out is discarded by the pool.
   * @default 2
   */
  queryTimeout?: number
  /**
   * Prepare the store's statements once per connection (named statements)
   * instead of planning them on every call, which cuts the server's CPU per
   * request about threefold. Turn off behind a pooler that cannot keep
   * prepared statements, such as PgBouncer in transaction mode before 1.21 (or
   * without `max_prepared_statements`).
   * @default true
   */
  preparedStatements?: boolean
}

/** First and largest pause between two attempts at a held lock, in milliseconds. */
const RETRY_FIRST_MS = 2
const RETRY_MAX_MS = 20

function hasQuery(client: unknown): client is PostgresClient {
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof (client as PostgresClient).query === 'function'
  )
}

/**
 * Sessions in a PostgreSQL table, shared by every
 * process using the database: `import { PostgresStore } from 'latchkey/stores/postgres'`.
 *
 * Capabilities: a cross-process lock (a lease column, see docs/postgres.md),
 * touch, and the per-user index (`listByUser` / `deleteByUser`). Rows are keyed
 * by the hashed session id; expired rows are ignored on read and swept in
 * batches. Every statement runs under `queryTimeout`.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * import { PostgresStore } from 'latchkey/stores/postgres'
 *
 * const pool = new pg.Pool({
 *   connectionString: process.env.DATABASE_URL,
 *   max: 10,
 *   connectionTimeoutMillis: 2000,
 * })
 * pool.on('error', (err) => console.warn(err)) // idle connections may drop
 * const store = new PostgresStore({ client: pool })
 * await store.migrate() // or run sql/postgres.sql with your migration tool
 * const sessions = new Sessions({ store, lock: { timeout: 5, lease: 10 } })
 * ```
 */
export class PostgresStore implements SessionStore {
  readonly name = 'postgres'
  readonly #names: TableNames
  readonly #sql: ReturnType<typeof statements>
  readonly #runner: DeadlineRunner
  readonly #lease: LeaseContext
  readonly #sweeper: PeriodicSweep

  constructor(options: PostgresStoreOptions) {
    if (!hasQuery(options?.client)) {
      throw new SessionConfigError(
        'PostgresStore needs `client`: a pg Pool or an object with a compatible query() method',
      )
    }
    this.#names = tableNames(options.schema ?? 'public', options.table ?? 'latchkey_sessions')
    const queryTimeout = seconds(options.queryTimeout ?? 2, 'queryTimeout', {
      max: MAX_TIMER_SECONDS,
    })
    this.#sql = statements(this.#names.qualified)
    const prepare = options.preparedStatements ?? true
    if (typeof prepare !== 'boolean') {
      throw new SessionConfigError(`preparedStatements must be a boolean, got ${String(prepare)}`)
    }
    this.#runner = new DeadlineRunner(options.client, this.name, queryTimeout * 1000, prepare)
    this.#lease = {
      runner: this.#runner,
      sql: this.#sql,
      clock: new DatabaseClock(queryTimeout * 1000),
      giveBack: (key, token, leaseMs) => this.#giveBack(key, token, leaseMs),
    }
    this.#sweeper = new PeriodicSweep(options, async (limit) => {
      const [row] = await this.#runner.run(this.#sql.sweep, [Date.now(), limit])
      return Number(row?.swept ?? 0)
    })
  }

  /**
   * Creates the table and its indexes, or brings an existing table up to
   * date; safe to run on every start and from several processes at once. The
   * same SQL for the default names is shipped as `sql/postgres.sql`.
   */
  async migrate(): Promise<void> {
    // One multi-statement query runs as one transaction; the advisory lock
    // makes concurrent migrations wait for each other instead of colliding.
    await this.#runner.run(
      `SELECT pg_advisory_xact_lock(hashtext('${this.#names.migrationLockKey}'));\n${schemaSql(this.#names)}`,
      [],
    )
  }

  /** The DDL `migrate()` runs, for teams that apply migrations with their own tool. */
  schemaSql(): string {
    return schemaSql(this.#names)
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    const [row] = await this.#runner.run(this.#sql.get, [key, Date.now()])
    return row ? toRecord(row) : undefined
  }

  async set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    await this.#runner.run(this.#sql.set, [key, ...recordValues(record, ttlSeconds, Date.now())])
  }

  async delete(key: string): Promise<void> {
    await this.#runner.run(this.#sql.delete, [key])
  }

  async touch(
    key: string,
    times: Pick<StoredRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<boolean> {
    const now = Date.now()
    const expiresAt = Math.min(times.expiresAt, now + ttlSeconds * 1000)
    const touched = await this.#runner.run(this.#sql.touch, [key, times.lastSeenAt, expiresAt, now])
    return touched.length > 0
  }

  /**
   * Locks `key` and reads its record in one statement. While the lock is held
   * by someone else, retries with a growing pause (2 ms up to 20 ms, jittered)
   * holding no connection, for at most `waitMs`.
   *
   * @throws {SessionLockTimeoutError} when `waitMs` passes first.
   * @throws {SessionStoreError} when a statement fails or misses `queryTimeout`.
   */
  async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    const token = randomUUID()
    return pollLock({
      waitMs: options.waitMs,
      firstPauseMs: RETRY_FIRST_MS,
      maxPauseMs: RETRY_MAX_MS,
      attempt: async () => {
        // A refused statement (clocks drifted apart) is retried like a held lock.
        const { row } = await runInTime(
          this.#lease,
          this.#sql.lock,
          [key, token, options.leaseMs, Date.now()],
          // Acquired after the caller was told it failed: give it back at once.
          ([late]) => {
            if (late?.locked === true) this.#giveBack(key, token, options.leaseMs)
          },
        )
        if (row?.locked !== true) return undefined
        const record = row.live === true ? toRecord(row) : undefined
        const session = row.data !== null && row.data !== undefined
        return new PostgresLease(this.#lease, key, token, options.leaseMs, record, session)
      },
      // The statement may still run when the database answers again.
      giveBack: () => this.#giveBack(key, token, options.leaseMs),
    })
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const rows = await this.#runner.run(this.#sql.listByUser, [userId, Date.now()])
    return rows.map((row) => ({ key: String(row.key), record: toRecord(row) }))
  }

  async deleteByUser(userId: string, options: { exceptKey?: string } = {}): Promise<string[]> {
    const rows = await this.#runner.run(this.#sql.deleteByUser, [
      userId,
      options.exceptKey ?? null,
      Date.now(),
    ])
    return rows.filter((row) => row.live === true).map((row) => String(row.key))
  }

  /**
   * Deletes expired rows now, in batches of `sweepBatchSize`; returns how many.
   * `onProgress` gets the running total after each batch. Runs by itself every
   * `sweepInterval` seconds.
   */
  sweep(onProgress?: (swept: number) => void): Promise<number> {
    return this.#sweeper.sweep(onProgress)
  }

  /** Counts the table's rows: live, logged-in, expired, and live ones by age (one full scan). */
  async stats(): Promise<StoreStats> {
    const [row] = await this.#runner.run(this.#sql.stats, [Date.now()])
    return statsOf(row)
  }

  /**
   * Stops the periodic sweep and waits for a sweep under way. The pool stays
   * open: it is the application's.
   */
  close(): Promise<void> {
    return this.#sweeper.stop()
  }

  /** Gives `token`'s lock on `key` back in the background (see `giveBack`). */
  #giveBack(key: string, token: string, leaseMs: number): void {
    giveBack(() => this.#runner.run(this.#sql.release, [key, token]), leaseMs)
  }
}
