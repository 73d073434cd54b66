import { isSessionError, messageOf, SessionStoreError } from '../../core/errors.js'
import { DeadlineExceeded, withDeadline } from '../shared/deadline.js'

/** A query as `mysql2` takes it: text with `?` placeholders, values, and a per-query timeout. */
export interface MySQLQuery {
  sql: string
  values?: unknown[]
  /**
   * Milliseconds after which `mysql2` fails the query. It keeps the connection (busy until
   * the server answers the late statement; the pool takes it back then).
   */
  timeout?: number
  /** Rows as objects keyed by column name, whatever the pool's default. */
  rowsAsArray?: false
}

/**
 * What {@link MySQLStore} needs from its client: a `mysql2/promise` pool
 * (`createPool`) fits, as does anything whose `query` accepts mysql2's
 * query-options object and resolves to `[rows, fields]`, where `rows` is an
 * array of row objects for a `SELECT` and `{ affectedRows }` for a write.
 * The store never opens, holds or closes connections itself.
 */
export interface MySQLClient {
  // biome-ignore lint/suspicious/noExplicitAny: rows are whatever the driver returns; the store checks them
  query(options: MySQLQuery): Promise<[any, ...unknown[]]>
}

/** A row as the store reads it. */
export type Row = Record<string, unknown>

/**
 * Runs queries under a deadline. `timeout` makes `mysql2` fail a query whose
 * answer does not come (its connection stays busy until the late answer, then
 * returns to the pool); the deadline also covers the
 * time spent waiting for a pooled connection or for a connection to be made,
 * which mysql2 does not bound by the query timeout. Either way the caller gets
 * `SessionStoreError` in time.
 */
export class DeadlineRunner {
  readonly #client: MySQLClient
  readonly #store: string
  readonly #timeoutMs: number

  constructor(client: MySQLClient, store: string, timeoutMs: number) {
    this.#client = client
    this.#store = store
    this.#timeoutMs = timeoutMs
  }

  /** Runs a `SELECT`; resolves to its rows. */
  async rows(sql: string, values: unknown[]): Promise<Row[]> {
    const result = await this.run(sql, values)
    return Array.isArray(result) ? (result as Row[]) : []
  }

  /**
   * Runs a write; resolves to the number of rows it matched (`affectedRows`:
   * mysql2 sets the FOUND_ROWS flag by default, so an UPDATE that changes
   * nothing still counts the rows it found). `onLate` receives that count
   * when the write succeeded after its deadline had already failed the caller
   * (e.g. a lock acquired too late, which must then be given back).
   */
  async write(
    sql: string,
    values: unknown[],
    onLate?: (affected: number) => void,
  ): Promise<number> {
    return affected(await this.run(sql, values, (result) => onLate?.(affected(result))))
  }

  async run(sql: string, values: unknown[], onLate?: (result: unknown) => void): Promise<unknown> {
    try {
      return await withDeadline(
        this.#timeoutMs,
        async () => {
          const [result] = await this.#client.query({
            sql,
            values,
            timeout: this.#timeoutMs,
            rowsAsArray: false,
          })
          return result as unknown
        },
        onLate,
      )
    } catch (error) {
      throw this.#wrap(error)
    }
  }

  #wrap(error: unknown): Error {
    if (error instanceof DeadlineExceeded)
      return new SessionStoreError(
        this.#store,
        `no answer from MySQL within ${this.#timeoutMs / 1000}s`,
      )
    if (isSessionError(error)) return error
    return new SessionStoreError(this.#store, messageOf(error), { cause: error })
  }
}

function affected(result: unknown): number {
  return Number((result as { affectedRows?: unknown } | null)?.affectedRows ?? 0)
}
