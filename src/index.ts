/**
 * latchkey: race-free, secure HTTP sessions and login for Node.js.
 *
 * @example
 * ```ts
 * import { Sessions } from 'latchkey'
 * import { MemoryStore } from 'latchkey/stores/memory'
 * const sessions = new Sessions({ store: new MemoryStore() })
 * ```
 * Adapter writers: the guard and request plumbing is in `latchkey/adapter-kit`.
 * @module
 */

export { AuthSession, type LoginOptions } from './auth/auth-session.js'
export { AuthSessions, type SessionInfo, type SessionReference } from './auth/auth-sessions.js'
export { type GuardOptions, sitePath } from './auth/guard.js'
export type { AuthSessionsOptions } from './auth/options.js'
export type { RegisterAuth, RegisteredUser } from './auth/register.js'
export {
  DIAGNOSTICS_CHANNELS,
  type LockAcquiredMessage,
  type LockLostMessage,
  type LockReleasedMessage,
  type LockTimeoutMessage,
  type LockWaitMessage,
  type LoginMessage,
  type LogoutMessage,
  type RevokeMessage,
  type SessionCreatedMessage,
  type SessionDestroyedMessage,
  type SessionRotatedMessage,
  type StoreCommandMessage,
} from './core/diagnostics.js'
export {
  isSessionError,
  SessionConfigError,
  SessionCookieTooLargeError,
  SessionError,
  type SessionErrorCode,
  SessionLockLostError,
  SessionLockTimeoutError,
  SessionSerializerError,
  SessionStoreError,
  SessionUnavailableError,
  SessionUsageError,
} from './core/errors.js'
export type { LegacyCookie, LegacySessionSource } from './core/legacy-source.js'
export type { CookieOptions, ErrorReporter, SessionsOptions } from './core/options.js'
export type { Register, RegisteredData } from './core/register.js'
export { MAX_SECONDS, MAX_TIMER_SECONDS } from './core/seconds.js'
export type { Serializer } from './core/serializer.js'
export { type FlashMessage, LockedSession, type RequestInfo, Session } from './core/session.js'
export { sessionReference } from './core/session-reference.js'
export { Sessions } from './core/sessions.js'
export {
  AGE_BUCKETS,
  type AgeBucket,
  type AnyStore,
  type CookieSealer,
  type IndexedSession,
  type JsonValue,
  type LeaseChange,
  type SessionData,
  type SessionRecord,
  type SessionStore,
  type StoredRecord,
  type StoreLease,
  type StoreLockOptions,
  type StoreStats,
} from './core/store.js'
export { hashSessionId } from './crypto/ids.js'
