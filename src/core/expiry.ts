import type { ResolvedOptions } from './options.js'
import type { SessionRecord } from './store.js'

/** Whether a record is still valid at `now` (idle and absolute timeouts). */
export function isLive(
  record: Pick<SessionRecord, 'expiresAt' | 'absoluteExpiresAt'>,
  now: number,
): boolean {
  return (
    record.expiresAt > now &&
    (record.absoluteExpiresAt === undefined || record.absoluteExpiresAt > now)
  )
}

/**
 * A record's own idle timeout in milliseconds, when it differs from the
 * manager's `ttl`: a login's `duration`, or `anonymousTtl` for a session
 * nobody has logged into.
 */
function ownLifetime(
  record: Pick<SessionRecord, 'ttl' | 'userId'>,
  options: ResolvedOptions,
): number | undefined {
  if (record.ttl !== undefined) return record.ttl * 1000
  return record.userId === undefined ? options.anonymousTtlMs : undefined
}

/** The idle-expiry a record gets when written or touched at `now`. */
export function nextExpiry(
  record: Pick<SessionRecord, 'ttl' | 'userId' | 'absoluteExpiresAt'>,
  options: ResolvedOptions,
  now: number,
): number {
  const idle = now + (ownLifetime(record, options) ?? options.ttlMs)
  return record.absoluteExpiresAt === undefined ? idle : Math.min(idle, record.absoluteExpiresAt)
}

/**
 * How long after its last write or touch a read extends a record's expiry
 * (undefined: never). A record's own lifetime (login `duration`,
 * `anonymousTtl`) shorter than twice `touchAfter` would otherwise expire
 * while in use.
 */
export function touchInterval(
  record: Pick<SessionRecord, 'ttl' | 'userId'>,
  options: ResolvedOptions,
): number | undefined {
  const { touchAfterMs } = options
  const lifetime = ownLifetime(record, options)
  if (touchAfterMs === undefined || lifetime === undefined) return touchAfterMs
  return Math.min(touchAfterMs, lifetime / 2)
}

/** Seconds left until `expiresAt`, as the positive integer stores expect. */
export function ttlSeconds(expiresAt: number, now: number): number {
  return Math.max(1, Math.ceil((expiresAt - now) / 1000))
}

/** Whether the session's cookie outlives the browser. */
export function isPersistent(
  record: Pick<SessionRecord, 'persistent'>,
  options: ResolvedOptions,
): boolean {
  return record.persistent ?? options.cookie.persistent
}

/**
 * Whether a write must re-send a session's unchanged cookie: a persistent
 * cookie whose expiry (as last sent) is `touchAfter` behind the record's, or
 * every time when sliding expiry is off. A session-only cookie has no expiry
 * to refresh.
 */
export function cookieRefreshDue(record: SessionRecord, options: ResolvedOptions): boolean {
  if (!isPersistent(record, options)) return false
  const sent = record.cookieExpiresAt
  if (sent === undefined) return true
  const interval = touchInterval(record, options)
  return interval === undefined || record.expiresAt - sent >= interval
}

/**
 * Whether a read at `now` is due to extend a record's expiry: sliding expiry
 * once `touchInterval` has passed since its last write or touch.
 */
export function touchDue(record: SessionRecord, options: ResolvedOptions, now: number): boolean {
  const interval = touchInterval(record, options)
  return interval !== undefined && now - record.lastSeenAt >= interval
}

/**
 * Records on `record` the expiry a persistent cookie sent now carries, so a
 * later write knows when it must re-send it (server-side stores only; the
 * sealed cookie is re-sent with every write anyway).
 */
export function markCookieSent(
  record: SessionRecord,
  clientSide: boolean,
  options: ResolvedOptions,
): void {
  if (!clientSide && isPersistent(record, options)) record.cookieExpiresAt = record.expiresAt
  else delete record.cookieExpiresAt
}
