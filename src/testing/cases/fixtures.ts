import assert from 'node:assert/strict'
import type { SessionRecord, SessionStore } from '../../core/store.js'
import { hashSessionId, newSessionId } from '../../crypto/ids.js'

/** A capability a case needs; cases whose capability the store lacks are reported as skipped. */
export type Capability = 'touch' | 'lock' | 'userIndex' | 'stats' | 'sweep'

/** One case of the suite, run on a fresh store. */
export interface StoreCase {
  name: string
  capability?: Capability
  /** Further capabilities the case needs; it is skipped unless all are declared. */
  alsoNeeds?: Capability[]
  body: (store: SessionStore) => Promise<void>
}

/** A fresh key, as the manager derives one from a new session id. */
export function key(): string {
  return hashSessionId(newSessionId())
}

export function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now()
  return {
    data: { n: 1, nested: { list: [1, 'two', null, true] } },
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + 60_000,
    ...overrides,
  }
}

export function supports(store: SessionStore, capability: Capability): boolean {
  if (capability === 'userIndex')
    return typeof store.listByUser === 'function' && typeof store.deleteByUser === 'function'
  return typeof store[capability] === 'function'
}

export async function sortedKeys(store: SessionStore, userId: string): Promise<string[]> {
  const listed = await store.listByUser?.(userId)
  return (listed ?? []).map((entry) => entry.key).sort()
}

export function lockOf(store: SessionStore): NonNullable<SessionStore['lock']> {
  const lock = store.lock
  assert.ok(lock, 'the store declares the lock capability but has no lock()')
  return lock.bind(store)
}
