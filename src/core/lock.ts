import { hashSessionId } from '../crypto/ids.js'
import { decideCommit } from './commit.js'
import type { Transaction } from './context.js'
import { diagnostics } from './diagnostics.js'
import { SessionLockLostError, SessionLockTimeoutError, SessionUsageError } from './errors.js'
import { isLive } from './expiry.js'
import { assertEntry } from './json.js'
import type { LockAccess } from './locked-session.js'
import { type ControlFields, copyControlFields } from './record.js'
import { DELETED, type Held, RESOLVED, type RequestState } from './request-state.js'
import type { SessionRecord, StoreLease } from './store.js'
import type { Identity, Lease } from './store-group.js'
import { SESSION_LOST, SESSION_LOST_MESSAGE, warnOncePerCallSite } from './warnings.js'

function controlFields(record: SessionRecord | undefined): Partial<ControlFields> {
  return record ? copyControlFields(record, {}) : {}
}

/** Takes the lock for this request, or joins the one it holds (one more level). */
export async function acquire(state: RequestState): Promise<void> {
  // A lock being released has decided what it saves: joining it would lose what the joiner
  // writes. Wait for the release (its failure is its holder's), then take the lock anew.
  while (state.held?.saving) await state.held.saving.catch(() => {})
  if (state.held) {
    state.held.depth++
    return
  }
  const { storage, mutex, options } = state.context
  // A legacy session is migrated by the read, which decides the session to lock.
  if (state.migrationDue()) await state.load()
  const identity = state.loaded ? state.identity : state.identify()
  state.generation++
  if (!identity) {
    // A session that does not exist yet: no other request can know its id.
    state.held = {
      depth: 1,
      release: undefined,
      lease: undefined,
      identity: undefined,
      base: undefined,
      fields: {},
      changed: false,
      action: 'none',
      lost: state.lost,
      generation: state.generation,
      saving: undefined,
      acquiredAt: 0,
    }
    state.identified = true
    state.loaded = true
    state.base = undefined
    state.data = {}
    return
  }
  const readLive = state.loaded && state.base !== undefined
  const { key } = identity
  const started = performance.now()
  const deadline = Date.now() + options.lockTimeoutMs
  let release = mutex.tryAcquire(key)
  let lease: Lease
  try {
    if (!release) {
      if (diagnostics.lockWait.hasSubscribers)
        diagnostics.lockWait.publish({
          manager: options.name,
          key,
          queueLength: mutex.waiting(key),
        })
      release = await mutex.acquire(key, options.lockTimeoutMs)
    }
    lease = await storage.lock(identity, Math.max(1, deadline - Date.now()))
  } catch (error) {
    release?.()
    if (error instanceof SessionLockTimeoutError && diagnostics.lockTimeout.hasSubscribers)
      diagnostics.lockTimeout.publish({
        manager: options.name,
        key,
        waitMs: performance.now() - started,
      })
    throw error
  }
  const acquiredAt = performance.now()
  if (diagnostics.lockAcquired.hasSubscribers)
    diagnostics.lockAcquired.publish({ manager: options.name, key, waitMs: acquiredAt - started })
  const lost = state.lost || lostUnder(state, identity, lease.record, readLive)
  state.adopt(identity, lost ? undefined : lease.record)
  state.held = {
    depth: 1,
    release,
    lease,
    identity: state.identity,
    base: state.base,
    fields: controlFields(state.base),
    changed: false,
    action: 'none',
    lost,
    generation: state.generation,
    saving: undefined,
    acquiredAt,
  }
}

/**
 * Whether the session this request names was taken from under it: rotated
 * away or destroyed in this process a moment ago (the only sign the cookie
 * store has), or read live by this request and gone now under the lock.
 */
function lostUnder(
  state: RequestState,
  identity: Identity,
  record: SessionRecord | undefined,
  readLive: boolean,
): boolean {
  if (state.context.retired.has(identity.key)) return true
  return readLive && !(record !== undefined && isLive(record, Date.now()))
}

/** Applies the changes made outside a lock onto the data read under it. */
export function replayDelta(state: RequestState, held: Held): void {
  if (state.cleared && Object.keys(state.data).length > 0) held.changed = true
  if (state.cleared) state.data = {}
  for (const [key, value] of state.delta ?? []) {
    if (value === DELETED) {
      if (Object.hasOwn(state.data, key)) {
        delete state.data[key]
        held.changed = true
      }
    } else {
      state.data[key] = value
      held.changed = true
    }
  }
  state.delta = undefined
  state.cleared = false
}

/** Releases one level of the lock; the outermost saves and unlocks. */
export function releaseLevel(state: RequestState, generation: number): Promise<void> {
  const held = state.held
  if (!held || held.generation !== generation) return RESOLVED
  // A commit racing the handler's own release (Express responding inside `await using`)
  // waits for the save already running instead of saving twice.
  if (held.saving) return held.saving
  held.depth--
  if (held.depth > 0) return RESOLVED
  held.saving = saveAndUnlock(state, held)
  return held.saving
}

/**
 * Carries out the commit decision, releasing the store lease, then the
 * in-process lock, also when writing fails. One async function for all of
 * it: every locked request runs it.
 */
async function saveAndUnlock(state: RequestState, held: Held): Promise<void> {
  const { storage, options, retired } = state.context
  try {
    const { lease, identity } = held
    const decision = decideCommit({
      action: held.action,
      changed: held.changed,
      lost: held.lost,
      stored: identity !== undefined && held.base !== undefined,
      named: identity !== undefined || state.cookie !== undefined,
      clientSide: storage.clientSide,
      data: state.data,
      fields: held.fields,
      options,
      now: Date.now(),
    })
    // Only a stored session has a lease and an identity: the rest writes nothing but a new id.
    const key = identity?.key as string
    switch (decision.type) {
      case 'release':
        if (lease) await storage.commit(lease, key, undefined)
        if (decision.warn) warnOncePerCallSite(SESSION_LOST, SESSION_LOST_MESSAGE)
        if (decision.lose) state.lose()
        return
      case 'delete':
        if (decision.stored) {
          await storage.commit(lease as StoreLease, key, { type: 'delete' })
          retired.add(key)
          if (diagnostics.sessionDestroyed.hasSubscribers)
            diagnostics.sessionDestroyed.publish({ manager: options.name, key })
        } else if (lease) await storage.commit(lease, key, undefined)
        state.forget(decision.cookie)
        return
      case 'write': {
        const { record, ttlSeconds } = decision
        const kept = await storage.commit(lease as StoreLease, key, {
          type: 'set',
          record,
          ttlSeconds,
        })
        if (kept) state.remember(identity as Identity, record, decision.cookie)
        else {
          // Deleted while we held the lock (logout everywhere): it stays deleted.
          warnOncePerCallSite(SESSION_LOST, SESSION_LOST_MESSAGE)
          state.lose()
        }
        return
      }
      case 'rotate': {
        const { record, ttlSeconds } = decision
        let fresh: Identity
        try {
          const id = options.ids.generate()
          fresh = { id, key: hashSessionId(id), sealed: record }
          await storage.create(fresh.key, record, ttlSeconds)
        } catch (error) {
          // Unlock the old session anyway: its lease would otherwise be renewed for as
          // long as this process lives, and every later request on it time out.
          lease?.commit().catch(() => {})
          throw error
        }
        if (decision.stored) {
          await storage.commit(lease as StoreLease, key, { type: 'delete' })
          retired.add(key)
        } else if (lease) await storage.commit(lease, key, undefined)
        state.remember(fresh, record)
        publishRotation(options.name, decision.stored ? key : undefined, fresh.key)
      }
    }
  } catch (error) {
    if (error instanceof SessionLockLostError && diagnostics.lockLost.hasSubscribers)
      diagnostics.lockLost.publish({ manager: options.name, key: held.identity?.key as string })
    throw error
  } finally {
    state.held = undefined
    held.release?.()
    if (held.release && diagnostics.lockReleased.hasSubscribers)
      diagnostics.lockReleased.publish({
        manager: options.name,
        key: held.identity?.key as string,
        heldMs: performance.now() - held.acquiredAt,
      })
  }
}

/** A session written under a new id: rotated from a stored one, or created. */
function publishRotation(manager: string, from: string | undefined, to: string): void {
  if (from === undefined) {
    if (diagnostics.sessionCreated.hasSubscribers)
      diagnostics.sessionCreated.publish({ manager, key: to })
  } else if (diagnostics.sessionRotated.hasSubscribers)
    diagnostics.sessionRotated.publish({ manager, from, to })
}

/** The held lock, or a usage error when the handle's generation was released. */
export function assertHeld(state: RequestState, generation: number): Held {
  if (state.held?.generation !== generation) {
    throw new SessionUsageError(
      'this lock handle was released; take the lock again to use the session',
    )
  }
  return state.held
}

export function transactionOf(state: RequestState, held: Held): Transaction {
  return {
    data: state.data,
    base: held.base,
    fields: held.fields,
    rotate: () => {
      if (held.action !== 'destroy') held.action = 'rotate'
      held.changed = true
    },
    destroy: () => {
      held.action = 'destroy'
    },
    markChanged: () => {
      if (held.action === 'destroy') held.action = 'none'
      held.changed = true
    },
  }
}

/** What a `LockedSession` may do with the request's state: only through the lock it holds. */
export function lockAccess(state: RequestState): LockAccess {
  return {
    id: () => state.id,
    isNew: () => state.isNew,
    data(generation) {
      assertHeld(state, generation)
      return state.data
    },
    write(generation, key, value) {
      assertHeld(state, generation)
      if (value !== DELETED && state.context.options.records.json) assertEntry(key, value)
      state.write(key, value)
    },
    clear(generation) {
      assertHeld(state, generation)
      state.clearLocked()
    },
    act(generation, action) {
      const tx = transactionOf(state, assertHeld(state, generation))
      if (action === 'rotate') tx.rotate()
      else tx.destroy()
    },
    release: (generation) => releaseLevel(state, generation),
  }
}
