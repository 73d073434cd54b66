import { isSessionError, messageOf, SessionStoreError } from '../../core/errors.js'
import type { SQLiteDatabase, SQLiteStatement, SQLiteValue } from './database.js'

/** A row as the store reads it. */
export type Row = Record<string, unknown>

/**
 * Whether `error` (or its cause) is SQLITE_BUSY: another process held the
 * write lock for longer than `busy_timeout`. better-sqlite3 names it in
 * `code` (`SQLITE_BUSY`, `SQLITE_BUSY_SNAPSHOT`, …), node:sqlite numbers it in
 * `errcode` (5, extended codes keep 5 in their low byte).
 */
export function isBusy(error: unknown): boolean {
  const { code, errcode, cause } = (error ?? {}) as {
    code?: unknown
    errcode?: unknown
    cause?: unknown
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true
  if (typeof errcode === 'number' && (errcode & 0xff) === 5) return true
  return cause !== undefined && cause !== error && isBusy(cause)
}

/**
 * Runs the store's statements on one connection, each prepared once. The
 * drivers are synchronous: a statement blocks the event loop while it runs,
 * and, when another process is writing, for up to `busy_timeout`. Every
 * failure (SQLITE_BUSY past that timeout included) becomes a
 * `SessionStoreError`, a 503.
 */
export class SQLiteRunner {
  readonly #database: SQLiteDatabase
  readonly #store: string
  readonly #prepared = new Map<string, SQLiteStatement>()

  constructor(database: SQLiteDatabase, store: string) {
    this.#database = database
    this.#store = store
  }

  /** Runs a write; returns how many rows it changed. */
  run(sql: string, ...values: SQLiteValue[]): number {
    return this.#guard(() => Number(this.#statement(sql).run(...values).changes))
  }

  /** Runs a query; returns its first row, if any. */
  get(sql: string, ...values: SQLiteValue[]): Row | undefined {
    return this.#guard(() => this.#statement(sql).get(...values) as Row | undefined)
  }

  /** Runs a query (or a write with `RETURNING`); returns its rows. */
  all(sql: string, ...values: SQLiteValue[]): Row[] {
    return this.#guard(() => this.#statement(sql).all(...values) as Row[])
  }

  /** Runs statements that take no values, several at once (the schema). */
  exec(sql: string): void {
    this.#guard(() => this.#database.exec(sql))
  }

  /**
   * Runs `work` in a `BEGIN IMMEDIATE` transaction: it takes the write lock
   * up front, so that its reads and writes see and leave one state, and no
   * other process can slip between them. Rolls back if `work` throws.
   */
  immediate<T>(work: () => T): T {
    this.exec('BEGIN IMMEDIATE')
    try {
      const result = work()
      this.exec('COMMIT')
      return result
    } catch (error) {
      try {
        this.#database.exec('ROLLBACK')
      } catch {
        // The transaction is already gone (a failed COMMIT rolls back by itself).
      }
      throw error
    }
  }

  #statement(sql: string): SQLiteStatement {
    let statement = this.#prepared.get(sql)
    if (statement === undefined) {
      statement = this.#database.prepare(sql)
      this.#prepared.set(sql, statement)
    }
    return statement
  }

  #guard<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      if (isSessionError(error)) throw error
      throw new SessionStoreError(this.#store, messageOf(error), { cause: error })
    }
  }
}
