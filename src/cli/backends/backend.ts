import { messageOf, SessionStoreError } from '../../core/errors.js'
import type { SessionStore } from '../../core/store.js'
import { DeadlineExceeded, withDeadline } from '../../stores/shared/deadline.js'

/** A store the CLI opened, over a client it connected. */
export interface Backend {
  readonly store: SessionStore
  /** Closes the store and the client. */
  close(): Promise<void>
}

/** The store's own naming, from `--prefix` (Redis), `--table` (SQL) and `--schema` (PostgreSQL). */
export interface StoreNaming {
  prefix?: string
  table?: string
  schema?: string
}

/** How long connecting may take before the CLI says the server is unreachable. */
export const CONNECT_TIMEOUT_MS = 3000

/**
 * Seconds one store command may take once connected: `stats` reads a whole
 * table, which may take longer than a request's statement is allowed.
 */
export const COMMAND_TIMEOUT_SECONDS = 60

/**
 * Runs `connect` under {@link CONNECT_TIMEOUT_MS}, so that an unreachable
 * server (refused, filtered, not answering) fails fast with its address.
 *
 * @throws {SessionStoreError} naming `store` and `address`.
 */
export async function connected<T>(
  store: string,
  address: string,
  connect: () => Promise<T>,
  abandon: () => void,
): Promise<T> {
  try {
    return await withDeadline(CONNECT_TIMEOUT_MS, connect)
  } catch (error) {
    abandon()
    const reason =
      error instanceof DeadlineExceeded
        ? `no answer within ${CONNECT_TIMEOUT_MS / 1000}s`
        : messageOf(error) || String((error as { code?: unknown })?.code ?? 'connection failed')
    throw new SessionStoreError(store, `cannot connect to ${address}: ${reason}`, { cause: error })
  }
}
