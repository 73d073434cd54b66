import { createHash } from 'node:crypto'
import {
  isSessionError,
  messageOf,
  SessionStoreError,
  SessionUsageError,
} from '../../core/errors.js'
import { DeadlineExceeded, withDeadline } from '../shared/deadline.js'

/** A query as `pg` takes it: text with `$n` placeholders, values, and a per-query deadline. */
export interface PostgresQuery {
  /** Set for statements the server should prepare once per connection and reuse. */
  name?: string
  text: string
  values?: unknown[]
  /** Milliseconds after which `pg` gives up on the query and discards its connection. */
  query_timeout?: number
}

/**
 * What {@link PostgresStore} needs from its client: a `pg` `Pool` fits, as does
 * anything whose `query` accepts pg's query-config object and resolves to
 * `{ rows }`. The store never opens, holds or closes connections itself.
 */
export interface PostgresClient {
  // biome-ignore lint/suspicious/noExplicitAny: rows are whatever the driver returns; the store checks them
  query(query: PostgresQuery): Promise<{ rows: any[] }>
}

/** A row as the store reads it: every value comes back as text or a number. */
export type Row = Record<string, unknown>

const UNSUPPORTED_UNICODE = '22P05'

/**
 * Runs queries under a deadline. `query_timeout` makes `pg` fail a query whose
 * answer does not come and lets the pool discard that connection; the deadline
 * covers the time spent waiting for a pooled connection, which `pg` does not
 * bound by default. Either way the caller gets `SessionStoreError` in time.
 */
export class DeadlineRunner {
  readonly #client: PostgresClient
  readonly #store: string
  readonly #timeoutMs: number
  readonly #prepare: boolean
  readonly #names = new Map<string, string>()

  constructor(client: PostgresClient, store: string, timeoutMs: number, prepare: boolean) {
    this.#client = client
    this.#store = store
    this.#timeoutMs = timeoutMs
    this.#prepare = prepare
  }

  /**
   * Runs one statement. `onLate` receives the rows of a statement that
   * succeeded after its deadline had already failed the caller (e.g. a lock
   * acquired too late, which must then be given back).
   */
  async run(text: string, values: unknown[], onLate?: (rows: Row[]) => void): Promise<Row[]> {
    try {
      return await withDeadline(
        this.#timeoutMs,
        async () => (await this.#client.query(this.#query(text, values))).rows as Row[],
        onLate,
      )
    } catch (error) {
      throw this.#wrap(error)
    }
  }

  /**
   * Parameterised statements are prepared: planning the store's statements
   * costs the server more than running them (measured: about 3× less server
   * CPU per locked request). The name is derived from the text, so stores on
   * different tables sharing a pool never collide.
   */
  #query(text: string, values: unknown[]): PostgresQuery {
    const query: PostgresQuery = { text, values, query_timeout: this.#timeoutMs }
    if (!this.#prepare || values.length === 0) return query
    let name = this.#names.get(text)
    if (name === undefined) {
      name = `latchkey_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`
      this.#names.set(text, name)
    }
    query.name = name
    return query
  }

  #wrap(error: unknown): Error {
    if (error instanceof DeadlineExceeded)
      return new SessionStoreError(
        this.#store,
        `no answer from PostgreSQL within ${this.#timeoutMs / 1000}s`,
      )
    if (isSessionError(error)) return error
    if ((error as { code?: unknown } | null)?.code === UNSUPPORTED_UNICODE) {
      return new SessionUsageError(
        'PostgreSQL jsonb cannot store this session data (a \\u0000 character or a lone surrogate in a string)',
        { cause: error },
      )
    }
    return new SessionStoreError(this.#store, messageOf(error), { cause: error })
  }
}
