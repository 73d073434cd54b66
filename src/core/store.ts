/**
 * The store contract. A store only reads and writes records; all session logic
 * (ids, expiry, cookies, locking policy) lives in the manager.
 *
 * Server stores implement {@link SessionStore}: records keyed by the SHA-256 of
 * the session id, never by the id itself. Optional capabilities are declared by
 * implementing the optional methods; the manager never looks at class names.
 *
 * A client-side store (the encrypted cookie) implements {@link CookieSealer}
 * instead: it turns a whole record into the cookie value and back.
 *
 * @module
 */

/** JSON-compatible value: what a session may hold. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue }

/** Session data as the application sees it. */
export type SessionData = Record<string, unknown>

/**
 * One session as stored. Times are milliseconds since the epoch.
 * Fields other than `data` are the manager's control fields, kept apart from
 * the application's data so that application code cannot clobber them.
 */
export interface SessionRecord {
  /** The application's data. */
  data: SessionData
  /** When the session was created (or, for authenticated sessions, logged in). */
  createdAt: number
  /** When the session was last written or touched. */
  lastSeenAt: number
  /** When the session ends unless touched or written again (idle timeout). */
  expiresAt: number
  /** When the session ends whatever happens (absolute timeout), if set. */
  absoluteExpiresAt?: number
  /** The logged-in user (AuthSessions). */
  user?: unknown
  /** The logged-in user's id, for the per-user index. */
  userId?: string
  /** Per-session override of the cookie's persistence (remember-me). */
  persistent?: boolean
  /** Per-session override of the idle timeout, in seconds (login `duration`). */
  ttl?: number
  /** The user agent that created the session, if the application records it. */
  userAgent?: string
  /**
   * The expiry the browser's copy of a persistent cookie carries (server-side
   * stores). A write re-sends an unchanged cookie only once `expiresAt` has
   * moved `touchAfter` past it.
   */
  cookieExpiresAt?: number
  /**
   * The session id itself. Only present in records held by the client (the
   * cookie store), so that mirrors can key the record by its hashed id.
   */
  id?: string
}

/**
 * A record as stores hold it. `data` is the application's data as a JSON
 * object (the default), or the string a manager's custom `serializer` made of
 * it: a store keeps `data` as it is handed over, and a JSON encoding of the
 * record (what every store here does) keeps both.
 */
export interface StoredRecord extends Omit<SessionRecord, 'data'> {
  data: SessionData | string
}

/** Options for {@link SessionStore.lock}. */
export interface StoreLockOptions {
  /** How long the lease lasts before it must be renewed, in milliseconds. */
  leaseMs: number
  /** How long to wait for the lock at most, in milliseconds. */
  waitMs: number
}

/** A change to apply when a lease ends. */
export type LeaseChange =
  | { type: 'set'; record: StoredRecord; ttlSeconds: number }
  | { type: 'delete' }

/**
 * A held lock on one key, with the record read when it was acquired.
 * Implementations renew the lease while it is held.
 */
export interface StoreLease {
  /** The record at the moment the lock was taken (undefined if none). */
  readonly record: StoredRecord | undefined
  /**
   * Applies `change` (if any) and releases the lock, ideally in one round trip.
   *
   * - `set` replaces the record **only if it still exists** (a session deleted by
   *   `deleteByUser` while locked stays deleted) and resolves to `false` if it
   *   did not exist.
   * - Must reject with `SessionLockLostError` and write nothing when the lease
   *   was lost to another holder (fencing).
   */
  commit(change?: LeaseChange): Promise<boolean>
}

/** A session found through the per-user index. */
export interface IndexedSession {
  /** The stored key (hashed id). */
  key: string
  record: StoredRecord
}

/**
 * Upper bounds, in seconds, of the age groups {@link StoreStats.byAge} counts
 * sessions in: under an hour, a day, a week, 30 days, and older.
 */
export const AGE_BUCKETS: readonly number[] = [3600, 86_400, 604_800, 2_592_000]

/** How many live sessions are of an age, for {@link StoreStats.byAge}. */
export interface AgeBucket {
  /**
   * Sessions created less than this many seconds ago (and at least the previous
   * bucket's bound); `null` for the last bucket, which holds every older session.
   */
  maxAgeSeconds: number | null
  count: number
}

/** What a store holds, as {@link SessionStore.stats} counts it. */
export interface StoreStats {
  /** Live sessions (not expired). */
  live: number
  /** Live sessions of a logged-in user (with a `userId`). */
  authenticated: number
  /**
   * Records past their expiry that are still stored, the work a `sweep` has
   * left; always 0 for a store whose database expires records itself (Redis).
   */
  expired: number
  /** Live sessions by age (now minus `createdAt`), one entry per {@link AGE_BUCKETS} bound and one older. */
  byAge: AgeBucket[]
}

/** A server-side session store. */
export interface SessionStore {
  /** A short name for error messages and `onError` reports, e.g. `"redis"`. */
  readonly name: string
  /** Reads a record; `undefined` when missing or expired. */
  get(key: string): Promise<StoredRecord | undefined>
  /** Writes a record that expires after `ttlSeconds` (a positive integer). */
  set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void>
  /** Deletes a record; deleting a missing record is not an error. */
  delete(key: string): Promise<void>
  /**
   * Capability: extends a record's expiry without rewriting its data. Does
   * nothing if the record is missing, and then resolves to `false` (a store
   * that cannot tell resolves to nothing).
   */
  touch?(
    key: string,
    times: Pick<StoredRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
    // biome-ignore lint/suspicious/noConfusingVoidType: stores written before touch reported a missing record resolve to void
  ): Promise<boolean | void>
  /**
   * Capability: a lock on `key` that holds for every process using this store,
   * acquired together with a read of the record. Rejects with
   * `SessionLockTimeoutError` after `waitMs`.
   */
  lock?(key: string, options: StoreLockOptions): Promise<StoreLease>
  /** Capability: the live sessions of a user (records with this `userId`). */
  listByUser?(userId: string): Promise<IndexedSession[]>
  /** Capability: deletes the live sessions of a user but `exceptKey`; returns the deleted keys. */
  deleteByUser?(userId: string, options?: { exceptKey?: string }): Promise<string[]>
  /**
   * Capability: counts the store's records (a full scan: an administrator's
   * tool, not something to call per request).
   */
  stats?(): Promise<StoreStats>
  /**
   * Capability: deletes what has expired now — expired records, and in a store
   * whose records expire by themselves, the per-user index entries of expired
   * sessions — and returns how many it deleted. `onProgress` is called with the
   * running total after each batch.
   */
  sweep?(onProgress?: (swept: number) => void): Promise<number> | number
  /** Releases timers and connections the store owns (never the user's client). */
  close?(): Promise<void>
}

/** A client-side store: the whole record travels in the cookie. */
export interface CookieSealer {
  readonly name: string
  /** Marks this store as client-side; the manager keeps no server state for it. */
  readonly clientSide: true
  /** Encodes a record as a cookie value. */
  seal(record: StoredRecord): string
  /**
   * Decodes a cookie value; `undefined` for anything invalid, tampered or
   * expired. `stale` asks the manager to re-issue the cookie (old key).
   */
  unseal(value: string, maxAgeSeconds: number): { record: StoredRecord; stale: boolean } | undefined
}

/** Anything usable as a manager's `store`. */
export type AnyStore = SessionStore | CookieSealer

/** Whether a store is client-side. */
export function isCookieSealer(store: AnyStore): store is CookieSealer {
  return (store as CookieSealer).clientSide === true
}
