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
import { giveBack } from '../shared/give-back.js'
import { PeriodicSweep, type SweepOptions } from '../shared/periodic-sweep.js'
import { pollLock } from '../shared/poll-lock.js'
import { toRecord } from '../shared/record-row.js'
import { recordValues } from '../shared/record-values.js'
import { statsOf } from '../shared/stats-sql.js'
import { tryLock } from './acquire.js'
import { type OwnedDatabase, openDatabase, type SQLiteDatabase } from './database.js'
import { endLease, type LeaseContext } from './lease.js'
import { SQLiteRunner } from './runner.js'
import { COLUMNS, schemaSql, type TableNames, tableNames } from './schema.js'
import { type Statements, statements } from './statements.js'

/** Options of {@link SQLiteStore} shared by both ways of giving it a database. */
interface CommonOptions extends SweepOptions {
  /**
   * Table name: a plain identifier (letters, digits, `_`, at most 48
   * characters, not starting with `sqlite_`).
   * @default 'latchkey_sessions'
   */
  table?: string
}

/** The store opens the file itself, and closes it on `close()`. */
export interface SQLitePathOptions extends CommonOptions {
  /**
   * The database file, created if missing, e.g. `'./sessions.db'`. Opened with
   * `node:sqlite` where the runtime has it (Node 22.5+), else with the
   * `better-sqlite3` package (12.x), which must then be installed. Every
   * process of the host that opens this file shares its sessions and locks.
   */
  path: string
  database?: never
  /**
   * Seconds a statement waits for another process's write to finish before it
   * fails (`SessionStoreError`, a 503; a lock attempt counts it as a held
   * lock and tries again). The driver is synchronous: the wait blocks the
   * event loop, so keep it short. Writes take well under a millisecond.
   * @default 1
   */
  busyTimeout?: number
}

/** The store uses your connection, and never closes it. */
export interface SQLiteDatabaseOptions extends CommonOptions {
  /**
   * Your connection: a `node:sqlite` `DatabaseSync` or a better-sqlite3
   * `Database` (anything with their `exec` and `prepare`). Give the store a
   * connection of its own (it runs its own transactions on it), in WAL mode
   * with a `busy_timeout`, as the store sets up a file it opens.
   */
  database: SQLiteDatabase
  path?: never
  busyTimeout?: never
}

/** Options of {@link SQLiteStore}: a `path`, or your own `database`. */
export type SQLiteStoreOptions = SQLitePathOptions | SQLiteDatabaseOptions

/** First and largest pause between two attempts at a held lock, in milliseconds. */
const RETRY_FIRST_MS = 1
const RETRY_MAX_MS = 10

function isDatabase(database: unknown): database is SQLiteDatabase {
  const candidate = database as SQLiteDatabase | null | undefined
  return typeof candidate?.exec === 'function' && typeof candidate.prepare === 'function'
}

/**
 * Sessions in one SQLite file, shared by every process on the host that opens
 * it: `import { SQLiteStore } from 'latchkey/stores/sqlite'`.
 *
 * Capabilities: a cross-process lock (a lease in the row, with a random token
 * and a fencing count, taken and ended in `BEGIN IMMEDIATE` transactions; see
 * docs/sqlite.md), touch, and the per-user index (`listByUser` /
 * `deleteByUser`). Rows are keyed by the hashed session id; expired rows are
 * ignored on read and swept in batches. All times are the host's clock.
 *
 * @example
 * ```ts
 * import { Sessions } from 'latchkey'
 * import { SQLiteStore } from 'latchkey/stores/sqlite'
 *
 * const store = new SQLiteStore({ path: './sessions.db' })
 * await store.migrate() // or run sql/sqlite.sql with your migration tool
 * const sessions = new Sessions({ store, lock: { timeout: 5, lease: 10 } })
 * ```
 */
export class SQLiteStore implements SessionStore {
  readonly name = 'sqlite'
  readonly #names: TableNames
  readonly #sql: Statements
  readonly #runner: SQLiteRunner
  readonly #lease: LeaseContext
  readonly #sweeper: PeriodicSweep
  /** The database the store opened, closed by `close()`; undefined for the application's. */
  readonly #owned: OwnedDatabase | undefined
  /** Every manager sharing the store closes it: only the first close() closes the file. */
  #closed = false

  /**
   * @throws {SessionConfigError} on an invalid option, or when neither
   *   node:sqlite nor better-sqlite3 is available for a `path`.
   * @throws {SessionStoreError} when the file at `path` cannot be opened or is
   *   not a SQLite database.
   */
  constructor(options: SQLiteStoreOptions) {
    const { path, database } = (options ?? {}) as Partial<SQLitePathOptions & SQLiteDatabaseOptions>
    if ((path === undefined) === (database === undefined)) {
      throw new SessionConfigError(
        'SQLiteStore needs either `path` (a database file) or `database` (a node:sqlite DatabaseSync or better-sqlite3 Database), not both',
      )
    }
    if (database !== undefined && !isDatabase(database)) {
      throw new SessionConfigError(
        'SQLiteStore `database` must have exec() and prepare(): a node:sqlite DatabaseSync or a better-sqlite3 Database',
      )
    }
    if (path !== undefined && (typeof path !== 'string' || path === '')) {
      throw new SessionConfigError(
        `SQLiteStore \`path\` must be a file name, got ${JSON.stringify(path)}`,
      )
    }
    this.#names = tableNames(options.table ?? 'latchkey_sessions')
    this.#sql = statements(this.#names.quoted)
    // Validated before the file is opened, so that a bad option leaves nothing open.
    const busyTimeout = seconds(options.busyTimeout ?? 1, 'busyTimeout', {
      min: 0,
      max: MAX_TIMER_SECONDS,
    })
    this.#sweeper = new PeriodicSweep(options, async (limit) => {
      const now = Date.now()
      return this.#runner.run(this.#sql.sweep, now, now, limit)
    })
    try {
      this.#owned =
        path === undefined
          ? undefined
          : openDatabase(this.name, path, Math.round(busyTimeout * 1000))
    } catch (error) {
      void this.#sweeper.stop()
      throw error
    }
    this.#runner = new SQLiteRunner(this.#owned ?? (database as SQLiteDatabase), this.name)
    this.#lease = {
      runner: this.#runner,
      sql: this.#sql,
      giveBack: (key, token, fence, leaseMs) => this.#giveBack(key, token, fence, leaseMs),
    }
  }

  /**
   * Creates the table and its indexes if missing, in one transaction: safe to
   * run on every start and from several processes at once. The same SQL for
   * the default name is shipped as `sql/sqlite.sql`.
   *
   * @throws {SessionConfigError} when a table of that name exists but is not
   *   a latchkey session table (choose another `table`).
   */
  async migrate(): Promise<void> {
    const runner = this.#runner
    runner.immediate(() => {
      const columns = runner.all('SELECT name FROM pragma_table_info(?)', this.#names.table)
      const present = new Set(columns.map((row) => row.name))
      const missing = COLUMNS.filter((column) => !present.has(column))
      if (present.size > 0 && missing.length > 0) {
        throw new SessionConfigError(
          `table ${this.#names.table} exists but is not a latchkey session table (no ${missing.join(', ')}); choose another \`table\``,
        )
      }
      runner.exec(schemaSql(this.#names))
    })
  }

  /** The DDL `migrate()` runs, for teams that apply migrations with their own tool. */
  schemaSql(): string {
    return schemaSql(this.#names)
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    const row = this.#runner.get(this.#sql.get, key, Date.now())
    return row ? toRecord(row) : undefined
  }

  async set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    this.#runner.run(this.#sql.set, key, ...recordValues(record, ttlSeconds, Date.now()))
  }

  async delete(key: string): Promise<void> {
    this.#runner.run(this.#sql.delete, key)
  }

  async touch(
    key: string,
    times: Pick<StoredRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<boolean> {
    const now = Date.now()
    const expiresAt = Math.min(times.expiresAt, now + ttlSeconds * 1000)
    const values = [Math.round(times.lastSeenAt), Math.round(expiresAt), key, now] as const
    return this.#runner.run(this.#sql.touch, ...values) > 0
  }

  /**
   * Locks `key` and reads its record in one `BEGIN IMMEDIATE` transaction.
   * While the lock is held by someone else (or another process keeps the
   * database busy), retries with a growing pause (1 ms up to 10 ms,
   * jittered) for at most `waitMs`.
   *
   * @throws {SessionLockTimeoutError} when `waitMs` passes first.
   * @throws {SessionStoreError} when a statement fails.
   */
  async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    const token = randomUUID()
    return pollLock({
      waitMs: options.waitMs,
      firstPauseMs: RETRY_FIRST_MS,
      maxPauseMs: RETRY_MAX_MS,
      attempt: async () => tryLock(this.#lease, key, token, options.leaseMs),
      // A failed attempt rolled its transaction back: it took nothing.
      giveBack: () => {},
    })
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const rows = this.#runner.all(this.#sql.listByUser, userId, Date.now())
    return rows.map((row) => ({ key: String(row.session_key), record: toRecord(row) }))
  }

  /** Deletes the user's rows in one statement; returns the keys of those that were live. */
  async deleteByUser(userId: string, options: { exceptKey?: string } = {}): Promise<string[]> {
    const except = options.exceptKey ?? null
    const rows = this.#runner.all(this.#sql.deleteByUser, userId, except, except, Date.now())
    return rows.filter((row) => Number(row.live) === 1).map((row) => String(row.session_key))
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
    return statsOf(this.#runner.get(this.#sql.stats, Date.now()))
  }

  /**
   * Stops the periodic sweep, waits for a sweep under way, and closes the
   * database if the store opened it (`path`). Your `database` stays open.
   * Closing again does nothing.
   */
  async close(): Promise<void> {
    await this.#sweeper.stop()
    if (this.#closed) return
    this.#closed = true
    this.#owned?.close()
  }

  /** Ends `token`'s lease on `key` in the background, changing nothing else. */
  #giveBack(key: string, token: string, fence: number, leaseMs: number): void {
    const holder = { key, token, fence }
    giveBack(
      async () =>
        this.#runner.immediate(() => endLease(this.#lease, holder, undefined, Date.now())),
      leaseMs,
    )
  }
}
