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
import { tryLock } from './acquire.js'
import { DeadlineRunner, type MySQLClient } from './client.js'
import type { LeaseContext } from './lease.js'
import { schemaSql, type TableNames, tableNames } from './schema.js'
import { statements, truthy } from './statements.js'

/** Options of {@link MySQLStore}. */
export interface MySQLStoreOptions extends SweepOptions {
  /**
   * The application's `mysql2/promise` pool (`createPool`), or anything with a
   * compatible `query`. The store borrows a connection per statement and never
   * holds one between statements, not even while a session is locked. It
   * never ends the pool. It needs no `multipleStatements`.
   */
  client: MySQLClient
  /**
   * Table name: a plain identifier (letters, digits, `_`, at most 48 characters).
   * @default 'latchkey_sessions'
   */
  table?: string
  /**
   * Database (schema) of the table: a plain identifier.
   * @default the connection's database
   */
  database?: string
  /**
   * Seconds every statement may take, waiting for a pooled connection included,
   * before it fails with `SessionStoreError` (a 503). mysql2 keeps the
   * connection of a statement that timed out busy until the server answers it.
   * @default 2
   */
  queryTimeout?: number
}

/** First and largest pause between two attempts at a held lock, in milliseconds. */
const RETRY_FIRST_MS = 2
const RETRY_MAX_MS = 20

function hasQuery(client: unknown): client is MySQLClient {
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof (client as MySQLClient).query === 'function'
  )
}

/**
 * Sessions in a MySQL 8 or MariaDB 10.11+ table, shared by every process
 * using the database: `import { MySQLStore } from 'latchkey/stores/mysql'`.
 *
 * Capabilities: a cross-process lock (a lease in the row with a fencing
 * token, see docs/mysql.md), touch, and the per-user index (`listByUser` /
 * `deleteByUser`). Rows are keyed by the hashed session id; expired rows are
 * ignored on read and swept in batches. Every statement runs under
 * `queryTimeout`.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise'
 * import { Sessions } from 'latchkey'
 * import { MySQLStore } from 'latchkey/stores/mysql'
 *
 * const pool = mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 10, connectTimeout: 2000 })
 * const store = new MySQLStore({ client: pool })
 * await store.migrate() // or run sql/mysql.sql with your migration tool
 * const sessions = new Sessions({ store, lock: { timeout: 5, lease: 10 } })
 * ```
 */
export class MySQLStore implements SessionStore {
  readonly name = 'mysql'
  readonly #names: TableNames
  readonly #sql: ReturnType<typeof statements>
  readonly #runner: DeadlineRunner
  readonly #lease: LeaseContext
  readonly #sweeper: PeriodicSweep

  constructor(options: MySQLStoreOptions) {
    if (!hasQuery(options?.client)) {
      throw new SessionConfigError(
        'MySQLStore needs `client`: a mysql2/promise pool or an object with a compatible query() method',
      )
    }
    this.#names = tableNames(options.database, options.table ?? 'latchkey_sessions')
    const queryTimeout = seconds(options.queryTimeout ?? 2, 'queryTimeout', {
      max: MAX_TIMER_SECONDS,
    })
    this.#sql = statements(this.#names.qualified)
    this.#runner = new DeadlineRunner(options.client, this.name, queryTimeout * 1000)
    this.#lease = {
      runner: this.#runner,
      sql: this.#sql,
      clock: new DatabaseClock(queryTimeout * 1000),
      giveBack: (key, token, leaseMs) => this.#giveBack(key, token, leaseMs),
    }
    this.#sweeper = new PeriodicSweep(options, async (limit) => {
      return this.#runner.write(this.#sql.sweep, [Date.now(), limit])
    })
  }

  /**
   * Creates the table and its indexes if missing: one idempotent statement,
   * safe to run on every start and from several processes at once. The same
   * SQL for the default names is shipped as `sql/mysql.sql`.
   */
  async migrate(): Promise<void> {
    await this.#runner.run(schemaSql(this.#names), [])
  }

  /** The DDL `migrate()` runs, for teams that apply migrations with their own tool. */
  schemaSql(): string {
    return schemaSql(this.#names)
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    const [row] = await this.#runner.rows(this.#sql.get, [key, Date.now()])
    return row ? toRecord(row) : undefined
  }

  async set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    const values = recordValues(record, ttlSeconds, Date.now())
    await this.#runner.write(this.#sql.set, [key, ...values, ...values])
  }

  async delete(key: string): Promise<void> {
    await this.#runner.write(this.#sql.delete, [key])
  }

  async touch(
    key: string,
    times: Pick<StoredRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<boolean> {
    const now = Date.now()
    const expiresAt = Math.min(times.expiresAt, now + ttlSeconds * 1000)
    const values = [Math.round(times.lastSeenAt), Math.round(expiresAt), key, now]
    if ((await this.#runner.write(this.#sql.touch, values)) > 0) return true
    // A pool without FOUND_ROWS counts an UPDATE that changed nothing as 0 rows.
    return (await this.#runner.rows(this.#sql.exists, [key, now])).length > 0
  }

  /**
   * Locks `key` and reads its record: an UPDATE that takes a free lease, then
   * a SELECT of the row. While the lock is held by someone else, retries with
   * a growing pause (2 ms up to 20 ms, jittered) holding no connection, for
   * at most `waitMs`.
   *
   * @throws {SessionLockTimeoutError} when `waitMs` passes first.
   * @throws {SessionStoreError} when a statement fails or misses `queryTimeout`.
   */
  async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    const token = randomUUID()
    const { leaseMs } = options
    return pollLock({
      waitMs: options.waitMs,
      firstPauseMs: RETRY_FIRST_MS,
      maxPauseMs: RETRY_MAX_MS,
      attempt: () => tryLock(this.#lease, key, token, leaseMs),
      // The statement may still run when the database answers again.
      giveBack: () => this.#giveBack(key, token, leaseMs),
    })
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const rows = await this.#runner.rows(this.#sql.listByUser, [userId, Date.now()])
    return rows.map((row) => ({ key: String(row.session_key), record: toRecord(row) }))
  }

  /**
   * Finds the user's rows, then deletes them by key (MySQL 8 has no
   * `DELETE … RETURNING`). A session the user starts in between is kept.
   */
  async deleteByUser(userId: string, options: { exceptKey?: string } = {}): Promise<string[]> {
    const except = options.exceptKey ?? null
    const rows = await this.#runner.rows(this.#sql.findByUser, [Date.now(), userId, except, except])
    if (rows.length === 0) return []
    const keys = rows.map((row) => String(row.session_key))
    await this.#runner.write(this.#sql.deleteByUser(keys.length), [userId, ...keys])
    return rows.filter((row) => truthy(row.live)).map((row) => String(row.session_key))
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
    const [row] = await this.#runner.rows(this.#sql.stats, [Date.now()])
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
    giveBack(
      () =>
        this.#runner
          .write(this.#sql.unlock, [key, token])
          .then(() => this.#runner.write(this.#sql.drop, [key, token, Date.now()])),
      leaseMs,
    )
  }
}
