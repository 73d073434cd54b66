import type { SessionData } from './store.js'

/** The cookie of a legacy session library: the one to read, and where to clear it. */
export interface LegacyCookie {
  /** Cookie name, e.g. `connect.sid`. */
  readonly name: string
  /** Path the legacy cookie was set with, repeated in its deletion. @default '/' */
  readonly path?: string
  /** Domain the legacy cookie was set with, repeated in its deletion. @default none (host-only) */
  readonly domain?: string
}

/**
 * Where sessions of another session library live, for the manager's
 * `migrateFrom` option: a request that carries no latchkey session but this
 * library's cookie gets the old session's data in a new latchkey session.
 *
 * Made by `expressSessionSource` (`latchkey/stores/express`) and
 * `sanicCookiesRedisSource` (`latchkey/stores/redis`); implement it for any other.
 */
export interface LegacySessionSource {
  /** A short name for error messages and `onError` reports, e.g. `"express-session"`. */
  readonly name: string
  readonly cookie: LegacyCookie
  /**
   * The legacy session id a cookie value names, when it is well formed and (for
   * signed cookies) its signature verifies; `undefined` otherwise. No I/O.
   */
  verify(value: string): string | undefined
  /** The legacy session's data (without the library's own fields); `undefined` when missing or expired. */
  load(id: string): Promise<SessionData | undefined>
  /** Deletes the legacy session, so that its cookie stops working; a missing one is not an error. */
  destroy(id: string): Promise<void>
}
