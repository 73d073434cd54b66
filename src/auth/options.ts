import { SessionConfigError, SessionUsageError } from '../core/errors.js'
import type { SessionsOptions } from '../core/options.js'
import { seconds } from '../core/seconds.js'

/** Options of `AuthSessions`: those of `Sessions`, plus how users are indexed. */
export interface AuthSessionsOptions<User = unknown> extends SessionsOptions {
  /**
   * Derives the id under which a user's sessions are indexed (for
   * `listSessions` and `logoutEverywhere`) from the user passed to `login`.
   * Must return a non-empty string.
   * @default the user's `id` property (string or number); a string or number user is its own id
   * @example
   * ```ts
   * new AuthSessions({ store, userId: (user) => user.email })
   * ```
   */
  userId?: (user: User) => string
  /**
   * Record the `User-Agent` of the request that logs in, so that
   * `listSessions` can show which device each session belongs to.
   * @default true
   */
  recordUserAgent?: boolean
  /**
   * Idle timeout, in seconds, of a session nobody has logged into yet: the
   * pre-login state an app keeps (a return URL, an OAuth `state`, a cart
   * kept with `keepData`). Logging in switches the session to `ttl` (or the
   * login's `duration`). Shorter than `ttl` so that cookie-less clients that
   * make the app write a session cannot fill a server store for a month;
   * see docs/stores.md, "Bounding an anonymous flood". At most `ttl`.
   * (A plain `Sessions` has no users: its `ttl` is this lifetime.)
   * @default min(86400, ttl) (one day)
   * @example
   * ```ts
   * new AuthSessions({ store, ttl: 14 * 86400, anonymousTtl: 3600 })
   * ```
   */
  anonymousTtl?: number
}

/** Auth options after defaults and validation. */
export interface ResolvedAuthOptions {
  userId: (user: unknown) => string
  recordUserAgent: boolean
}

function defaultUserId(user: unknown): string {
  if (typeof user === 'string' || typeof user === 'number') return String(user)
  const id = typeof user === 'object' && user !== null ? (user as { id?: unknown }).id : undefined
  if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) return String(id)
  throw new SessionUsageError(
    'the user passed to login() has no string or number `id`; give AuthSessions a `userId` option that derives one',
  )
}

const DEFAULT_ANONYMOUS_TTL = 86_400

/** The idle timeout of a session without a user, in ms; throws `SessionConfigError`. */
export function resolveAnonymousTtl(anonymousTtl: unknown, ttlMs: number): number {
  if (anonymousTtl === undefined) return Math.min(DEFAULT_ANONYMOUS_TTL * 1000, ttlMs)
  return seconds(anonymousTtl, 'anonymousTtl', { min: 1, max: ttlMs / 1000 }) * 1000
}

/** Validates the auth-specific options; throws `SessionConfigError`. */
export function resolveAuthOptions(options: AuthSessionsOptions<never>): ResolvedAuthOptions {
  const { userId, recordUserAgent } = options
  if (userId !== undefined && typeof userId !== 'function')
    throw new SessionConfigError('userId must be a function (user) => string')
  if (recordUserAgent !== undefined && typeof recordUserAgent !== 'boolean')
    throw new SessionConfigError(
      `recordUserAgent must be true or false, got ${String(recordUserAgent)}`,
    )
  return {
    userId: (userId as ((user: unknown) => string) | undefined) ?? defaultUserId,
    recordUserAgent: recordUserAgent ?? true,
  }
}
