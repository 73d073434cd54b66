import { cookieRefreshDue, markCookieSent, nextExpiry, ttlSeconds } from './expiry.js'
import type { ResolvedOptions } from './options.js'
import { type ControlFields, copyControlFields } from './record.js'
import type { SessionRecord } from './store.js'

/** What a locked section asked for besides changing data. */
export type Action = 'none' | 'rotate' | 'destroy'

/** What the release of a lock decides from, all of it known without I/O. */
export interface CommitState {
  readonly action: Action
  readonly changed: boolean
  /** The session this request named was taken from under it (see `Held.lost`). */
  readonly lost: boolean
  /** The lock holds a stored record (not a new session). */
  readonly stored: boolean
  /** The request named a session: an identity, or at least a cookie. */
  readonly named: boolean
  readonly clientSide: boolean
  readonly data: Readonly<Record<string, unknown>>
  readonly fields: Partial<ControlFields>
  readonly options: ResolvedOptions
  readonly now: number
}

/**
 * What releasing a lock does:
 * - `release`: writes nothing; `lose` drops the session (no cookie), `warn` says changes were lost.
 * - `delete`: deletes the stored record (`stored`) and sends a deletion cookie (`cookie`).
 * - `write`: writes the record under the same id; `cookie` re-sends it or keeps the browser's.
 * - `rotate`: writes the record under a new id (a new session, or a rotation) and sends its cookie.
 */
export type CommitDecision =
  | { readonly type: 'release'; readonly lose: boolean; readonly warn: boolean }
  | { readonly type: 'delete'; readonly stored: boolean; readonly cookie: boolean }
  | {
      readonly type: 'write'
      readonly record: SessionRecord
      readonly ttlSeconds: number
      readonly cookie: boolean
    }
  | {
      readonly type: 'rotate'
      readonly record: SessionRecord
      readonly ttlSeconds: number
      readonly stored: boolean
    }

/** Decides what releasing a lock writes, deletes and sends. Pure: `now` is an input. */
export function decideCommit(state: CommitState): CommitDecision {
  const { action, changed, stored } = state
  if (state.lost && action !== 'rotate') {
    // A newer cookie (a login's, or a logout's deletion) may be on its way: send none.
    return { type: 'release', lose: true, warn: changed || action === 'destroy' }
  }
  const empty = Object.keys(state.data).length === 0 && state.fields.user === undefined
  if (action === 'destroy' || (changed && empty && action !== 'rotate'))
    return { type: 'delete', stored, cookie: state.named }
  if (!changed) return { type: 'release', lose: false, warn: false }
  const record = buildRecord(state)
  const ttl = ttlSeconds(record.expiresAt, state.now)
  if (stored && action === 'none') {
    // The cookie carries only the id: the browser's copy stays valid unless its expiry is due.
    const cookie = state.clientSide || cookieRefreshDue(record, state.options)
    if (cookie) markCookieSent(record, state.clientSide, state.options)
    return { type: 'write', record, ttlSeconds: ttl, cookie }
  }
  markCookieSent(record, state.clientSide, state.options)
  return { type: 'rotate', record, ttlSeconds: ttl, stored }
}

function buildRecord({ data, fields, options, now }: CommitState): SessionRecord {
  const createdAt = fields.createdAt ?? now
  const absoluteExpiresAt =
    fields.absoluteExpiresAt ??
    (options.absoluteTimeoutMs === undefined ? undefined : createdAt + options.absoluteTimeoutMs)
  const record = copyControlFields(fields, {
    data: { ...data },
    createdAt,
    lastSeenAt: now,
    expiresAt: now,
  } as SessionRecord)
  record.createdAt = createdAt
  if (absoluteExpiresAt !== undefined) record.absoluteExpiresAt = absoluteExpiresAt
  record.expiresAt = nextExpiry(record, options, now)
  return record
}
