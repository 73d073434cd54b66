import { hashSessionId } from '../crypto/ids.js'
import { migrationKeys, openMigratedId, sealMigratedId } from '../crypto/migration-seal.js'
import { decideCommit } from './commit.js'
import { diagnostics } from './diagnostics.js'
import { isSessionError, messageOf, SessionStoreError } from './errors.js'
import { isLive, ttlSeconds } from './expiry.js'
import type { LegacyCookie, LegacySessionSource } from './legacy-source.js'
import type { RequestState } from './request-state.js'
import type { SessionData, SessionRecord } from './store.js'
import type { Identity } from './store-group.js'

/** A manager's `migrateFrom`, resolved. */
export interface Migration {
  readonly source: LegacySessionSource
  /** How long a replayed legacy cookie still leads to the session it became, in milliseconds. */
  readonly windowMs: number
  /** The `Set-Cookie` value that deletes the legacy cookie. */
  readonly deletion: string
}

/** A `Set-Cookie` value deleting the legacy cookie where it was set (same Path and Domain). */
export function legacyDeletionCookie(cookie: LegacyCookie): string {
  const domain = cookie.domain === undefined ? '' : `; Domain=${cookie.domain}`
  return `${cookie.name}=; Max-Age=0${domain}; Path=${cookie.path ?? '/'}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`
}

/** Runs a call on the legacy source, failing as `SessionStoreError` (503) like a store. */
async function fromSource<T>(
  source: LegacySessionSource,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (isSessionError(error)) throw error
    throw new SessionStoreError(source.name, `${operation} failed: ${messageOf(error)}`, {
      cause: error,
    })
  }
}

/**
 * Opens the request's session from the legacy session `legacyId` names: the
 * session it already became (another request carrying the same legacy cookie
 * migrated it a moment ago), or a new latchkey session holding the legacy
 * data, after which the legacy session is deleted. Either way the response
 * deletes the legacy cookie.
 *
 * Requests migrating the same legacy session run one at a time: in this
 * process through the manager's mutex, across processes through the primary's
 * lock when it has one. The first creates the session and records its id,
 * sealed under the legacy id, for `windowMs`; the others find that record and
 * adopt the same session, so a user never ends up with two.
 */
export async function migrate(
  state: RequestState,
  migration: Migration,
  legacyId: string,
): Promise<void> {
  const { storage, mutex, options } = state.context
  const keys = migrationKeys(migration.source.name, legacyId)
  // One `lock.timeout` for both locks, as for a session's.
  const deadline = Date.now() + options.lockTimeoutMs
  const release = await mutex.acquire(keys.lock, options.lockTimeoutMs)
  try {
    const waitMs = Math.max(1, deadline - Date.now())
    const lease = await storage.lock({ id: '', key: keys.lock }, waitMs)
    try {
      if (!(await adopt(state, migration, legacyId, keys.record)))
        await copy(state, migration, legacyId, keys.record)
    } finally {
      await storage.commit(lease, keys.lock, undefined)
    }
  } finally {
    release()
  }
  state.legacyDeletion = migration.deletion
}

/** Takes the session a legacy id was migrated to, if it was within the window. */
async function adopt(
  state: RequestState,
  migration: Migration,
  legacyId: string,
  recordKey: string,
): Promise<boolean> {
  const { storage, options } = state.context
  const marker = await storage.read({ id: '', key: recordKey })
  const sealed = marker?.data.migratedTo
  if (!marker || !isLive(marker, Date.now()) || typeof sealed !== 'string') return false
  const id = openMigratedId(migration.source.name, legacyId, sealed)
  if (id === undefined || !options.ids.isWellFormed(id)) return false
  const identity: Identity = { id, key: hashSessionId(id) }
  // Ended since (a logout): the legacy session is gone too, so the request starts empty.
  state.adopt(identity, await storage.read(identity))
  if (state.base) state.remember(identity, state.base)
  return true
}

/** Copies the legacy session into a new latchkey session, records the migration, deletes the legacy one. */
async function copy(
  state: RequestState,
  migration: Migration,
  legacyId: string,
  recordKey: string,
): Promise<void> {
  const { storage, options } = state.context
  const { source } = migration
  const data = await fromSource(source, 'load', () => source.load(legacyId))
  const now = Date.now()
  const decision = decideCommit({
    action: 'none',
    changed: true,
    lost: false,
    stored: false,
    named: false,
    clientSide: false,
    data: data ?? {},
    fields: {},
    options,
    now,
  })
  // An empty or missing legacy session becomes nothing: decideCommit answers 'delete'.
  state.adopt(undefined, undefined)
  if (decision.type === 'rotate') {
    const id = options.ids.generate()
    const identity: Identity = { id, key: hashSessionId(id) }
    await storage.create(identity.key, decision.record, decision.ttlSeconds)
    const expiresAt = now + migration.windowMs
    const marker: SessionRecord = {
      data: { migratedTo: sealMigratedId(source.name, legacyId, id) } satisfies SessionData,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    }
    await storage.create(recordKey, marker, ttlSeconds(expiresAt, now))
    state.adopt(identity, decision.record)
    state.remember(identity, decision.record)
    if (diagnostics.sessionCreated.hasSubscribers)
      diagnostics.sessionCreated.publish({ manager: options.name, key: identity.key })
  }
  await fromSource(source, 'destroy', () => source.destroy(legacyId))
}
