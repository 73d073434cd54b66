import { SessionConfigError, SessionUsageError } from '../core/errors.js'
import type { SessionsOptions } from '../core/options.js'

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
