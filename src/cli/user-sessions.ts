import { SessionUsageError } from '../core/errors.js'
import { sessionReference } from '../core/session-reference.js'
import type { SessionStore } from '../core/store.js'

/** One of a user's live sessions, as the CLI shows it. */
export interface ListedSession {
  reference: string
  /** The stored key, for deleting the session; never printed. */
  key: string
  createdAt: number
  lastSeenAt: number
  /** The earlier of the idle and the absolute expiry. */
  expiresAt: number
  userAgent?: string
}

/**
 * The user's live sessions, most recently seen first.
 *
 * @throws {SessionUsageError} when the store has no per-user index.
 */
export async function userSessions(store: SessionStore, userId: string): Promise<ListedSession[]> {
  if (store.listByUser === undefined)
    throw new SessionUsageError(`the ${store.name} store has no per-user index`)
  const now = Date.now()
  const found = await store.listByUser(userId)
  return found
    .filter(({ record }) => record.userId === userId)
    .map(({ key, record }) => ({
      reference: sessionReference(key),
      key,
      createdAt: record.createdAt,
      lastSeenAt: record.lastSeenAt,
      expiresAt: Math.min(record.expiresAt, record.absoluteExpiresAt ?? Infinity),
      ...(record.userAgent === undefined ? {} : { userAgent: record.userAgent }),
    }))
    .filter((session) => session.expiresAt > now)
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
}
