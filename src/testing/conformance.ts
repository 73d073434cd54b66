import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { SessionLockTimeoutError } from '../core/errors.js'
import type { SessionRecord, SessionStore } from '../core/store.js'
import { hashSessionId, newSessionId } from '../crypto/ids.js'
import { writesRacingDeleteByUser } from './revocation-race.js'

/** A capability a case needs; cases whose capability the store lacks are reported as skipped. */
export type Capability = 'touch' | 'lock' | 'userIndex'

/** One conformance test case. */
export interface ConformanceCase {
  name: string
  /** The capability exercised, if any. */
  capability?: Capability
  /** True when the case exercises a capability the store does not declare: report it as skipped. */
  skip: boolean
  /** Runs the case on a fresh store; throws on failure. */
  run: () => Promise<void>
}

/** How to make the store under test. */
export interface ConformanceOptions {
  /** Makes a store; called once per case. Stores may share a backend (keys never collide). */
  create: () => SessionStore | Promise<SessionStore>
  /** Disposes a store made by `create`. @default calls `store.close()` */
  dispose?: (store: SessionStore) => void | Promise<void>
  /**
   * The optional capabilities the store implements. The suite checks that the
   * store has exactly these methods, and runs their cases.
   */
  capabilities: Partial<Record<Capability, boolean>>
}

function key(): string {
  return hashSessionId(newSessionId())
}

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now()
  return {
    data: { n: 1, nested: { list: [1, 'two', null, true] } },
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + 60_000,
    ...overrides,
  }
}

function supports(store: SessionStore, capability: Capability): boolean {
  if (capability === 'userIndex')
    return typeof store.listByUser === 'function' && typeof store.deleteByUser === 'function'
  return typeof store[capability] === 'function'
}

async function sortedKeys(store: SessionStore, userId: string): Promise<string[]> {
  const listed = await store.listByUser?.(userId)
  return (listed ?? []).map((entry) => entry.key).sort()
}

type Body = (store: SessionStore) => Promise<void>

function lockOf(store: SessionStore): NonNullable<SessionStore['lock']> {
  const lock = store.lock
  assert.ok(lock, 'the store declares the lock capability but has no lock()')
  return lock.bind(store)
}

const cases: Array<{
  name: string
  capability?: Capability
  /** Further capabilities the case needs; it is skipped unless all are declared. */
  alsoNeeds?: Capability[]
  body: Body
}> = [
  {
    name: 'get of a missing key is undefined',
    body: async (store) => {
      assert.equal(await store.get(key()), undefined)
    },
  },
  {
    name: 'set then get returns an equal record',
    body: async (store) => {
      const k = key()
      const r = record({
        userId: 'u1',
        user: { id: 'u1', name: 'Zoë' },
        persistent: false,
        ttl: 120,
        absoluteExpiresAt: Date.now() + 90_000,
      })
      await store.set(k, r, 60)
      assert.deepEqual(await store.get(k), r)
    },
  },
  {
    name: 'set replaces the whole record',
    body: async (store) => {
      const k = key()
      await store.set(k, record({ data: { a: 1 } }), 60)
      const second = record({ data: { b: 2 } })
      await store.set(k, second, 60)
      assert.deepEqual(await store.get(k), second)
    },
  },
  {
    name: 'stored data is isolated from the caller’s objects',
    body: async (store) => {
      const k = key()
      const r = record({ data: { list: [1] } })
      await store.set(k, r, 60)
      ;(r.data.list as number[]).push(2)
      const read = await store.get(k)
      assert.deepEqual(read?.data, { list: [1] })
      assert.ok(read)
      ;(read.data.list as number[]).push(3)
      assert.deepEqual((await store.get(k))?.data, { list: [1] })
    },
  },
  {
    name: 'delete removes; deleting a missing key is not an error',
    body: async (store) => {
      const k = key()
      await store.set(k, record(), 60)
      await store.delete(k)
      assert.equal(await store.get(k), undefined)
      await store.delete(k)
      await store.delete(key())
    },
  },
  {
    name: 'keys are independent',
    body: async (store) => {
      const [a, b] = [key(), key()]
      await store.set(a, record({ data: { who: 'a' } }), 60)
      await store.set(b, record({ data: { who: 'b' } }), 60)
      await store.delete(a)
      assert.equal(await store.get(a), undefined)
      assert.deepEqual((await store.get(b))?.data, { who: 'b' })
    },
  },
  {
    name: 'unicode and large values round-trip',
    body: async (store) => {
      const k = key()
      const data = {
        text: 'é ✓ 𝄞 "quotes" \\ / <tag>',
        big: 'x'.repeat(200_000),
        zero: 0,
        negative: -1.5,
      }
      await store.set(k, record({ data }), 60)
      assert.deepEqual((await store.get(k))?.data, data)
    },
  },
  {
    name: 'a record expires after its TTL',
    body: async (store) => {
      const k = key()
      await store.set(k, record({ expiresAt: Date.now() + 1000 }), 1)
      assert.ok(await store.get(k))
      await sleep(2100)
      assert.equal(await store.get(k), undefined)
    },
  },
  {
    name: 'touch extends expiry without changing data',
    capability: 'touch',
    body: async (store) => {
      const k = key()
      const r = record({ expiresAt: Date.now() + 1000 })
      await store.set(k, r, 1)
      const times = { lastSeenAt: Date.now() + 1, expiresAt: Date.now() + 10_000 }
      assert.notEqual(
        await store.touch?.(k, times, 10),
        false,
        'touch of a live key must not report it missing',
      )
      await sleep(2100)
      const read = await store.get(k)
      assert.deepEqual(read, { ...r, ...times })
    },
  },
  {
    name: 'touch of a missing key creates nothing',
    capability: 'touch',
    body: async (store) => {
      const k = key()
      const found = await store.touch?.(
        k,
        { lastSeenAt: Date.now(), expiresAt: Date.now() + 10_000 },
        10,
      )
      assert.notEqual(found, true, 'touch of a missing key must not report it found')
      assert.equal(await store.get(k), undefined)
    },
  },
  {
    name: 'lock reads the record; commit(set) writes it and releases',
    capability: 'lock',
    body: async (store) => {
      const k = key()
      const r = record()
      await store.set(k, r, 60)
      const lease = await lockOf(store)(k, { leaseMs: 5000, waitMs: 2000 })
      assert.deepEqual(lease.record, r)
      const next = record({ data: { n: 2 } })
      assert.equal(await lease.commit({ type: 'set', record: next, ttlSeconds: 60 }), true)
      assert.deepEqual(await store.get(k), next)
      const again = await lockOf(store)(k, { leaseMs: 5000, waitMs: 500 })
      await again.commit()
    },
  },
  {
    name: 'lock on a missing key gives no record; commit(set) does not create it',
    capability: 'lock',
    body: async (store) => {
      const k = key()
      const lease = await lockOf(store)(k, { leaseMs: 5000, waitMs: 2000 })
      assert.equal(lease.record, undefined)
      assert.equal(await lease.commit({ type: 'set', record: record(), ttlSeconds: 60 }), false)
      assert.equal(await store.get(k), undefined)
    },
  },
  {
    name: 'a record deleted while locked stays deleted',
    capability: 'lock',
    body: async (store) => {
      const k = key()
      await store.set(k, record(), 60)
      const lease = await lockOf(store)(k, { leaseMs: 5000, waitMs: 2000 })
      await store.delete(k)
      assert.equal(
        await lease.commit({ type: 'set', record: record({ data: { n: 9 } }), ttlSeconds: 60 }),
        false,
      )
      assert.equal(await store.get(k), undefined)
    },
  },
  {
    name: 'commit(delete) deletes and releases',
    capability: 'lock',
    body: async (store) => {
      const k = key()
      await store.set(k, record(), 60)
      const lease = await lockOf(store)(k, { leaseMs: 5000, waitMs: 2000 })
      await lease.commit({ type: 'delete' })
      assert.equal(await store.get(k), undefined)
      const again = await lockOf(store)(k, { leaseMs: 5000, waitMs: 500 })
      await again.commit()
    },
  },
  {
    name: 'a second lock waits for the first and sees its write',
    capability: 'lock',
    body: async (store) => {
      const k = key()
      await store.set(k, record({ data: { n: 0 } }), 60)
      const first = await lockOf(store)(k, { leaseMs: 5000, waitMs: 2000 })
      let secondGotIt = false
      const second = lockOf(store)(k, { leaseMs: 5000, waitMs: 5000 }).then((lease) => {
        secondGotIt = true
        return lease
      })
      await sleep(150)
      assert.equal(secondGotIt, false, 'the second lock was granted while the first was held')
      await first.commit({ type: 'set', record: record({ data: { n: 1 } }), ttlSeconds: 60 })
      const lease = await second
      assert.deepEqual(lease.record?.data, { n: 1 })
      await lease.commit()
    },
  },
  {
    name: 'waiting past waitMs rejects with SessionLockTimeoutError',
    capability: 'lock',
    body: async (store) => {
      const k = key()
      await store.set(k, record(), 60)
      const held = await lockOf(store)(k, { leaseMs: 5000, waitMs: 2000 })
      const started = Date.now()
      await assert.rejects(
        lockOf(store)(k, { leaseMs: 5000, waitMs: 200 }),
        SessionLockTimeoutError,
      )
      const waited = Date.now() - started
      assert.ok(waited >= 150 && waited < 2000, `waited ${waited} ms for a 200 ms bound`)
      await held.commit()
    },
  },
  {
    name: 'locks on different keys do not block each other',
    capability: 'lock',
    body: async (store) => {
      const a = await lockOf(store)(key(), { leaseMs: 5000, waitMs: 1000 })
      const b = await lockOf(store)(key(), { leaseMs: 5000, waitMs: 1000 })
      await Promise.all([a.commit(), b.commit()])
    },
  },
  {
    name: 'listByUser lists the live sessions of that user only',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const other = `user-${newSessionId()}`
      const [a, b, c] = [key(), key(), key()]
      await store.set(a, record({ userId: user, userAgent: 'Firefox' }), 60)
      await store.set(b, record({ userId: user }), 60)
      await store.set(c, record({ userId: other }), 60)
      assert.deepEqual(await sortedKeys(store, user), [a, b].sort())
      const listed = await store.listByUser?.(user)
      assert.equal(listed?.find((entry) => entry.key === a)?.record.userAgent, 'Firefox')
      assert.deepEqual(await sortedKeys(store, other), [c])
      assert.deepEqual(await sortedKeys(store, `user-${newSessionId()}`), [])
    },
  },
  {
    name: 'the index follows deletes, expiry and a change of user',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const [a, b, c] = [key(), key(), key()]
      await store.set(a, record({ userId: user }), 60)
      await store.set(b, record({ userId: user, expiresAt: Date.now() + 1000 }), 1)
      await store.set(c, record({ userId: user }), 60)
      await store.delete(a)
      await store.set(c, record({ userId: `user-${newSessionId()}` }), 60)
      await sleep(2100)
      assert.deepEqual(await sortedKeys(store, user), [])
    },
  },
  {
    name: 'deleteByUser deletes that user’s sessions but the excepted one',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const other = `user-${newSessionId()}`
      const [a, b, c, d] = [key(), key(), key(), key()]
      await store.set(a, record({ userId: user }), 60)
      await store.set(b, record({ userId: user }), 60)
      await store.set(c, record({ userId: user }), 60)
      await store.set(d, record({ userId: other }), 60)
      const deleted = await store.deleteByUser?.(user, { exceptKey: c })
      assert.deepEqual([...(deleted ?? [])].sort(), [a, b].sort())
      assert.equal(await store.get(a), undefined)
      assert.equal(await store.get(b), undefined)
      assert.ok(await store.get(c))
      assert.ok(await store.get(d))
      assert.deepEqual(await sortedKeys(store, user), [c])
      assert.deepEqual(await store.deleteByUser?.(user), [c])
      assert.deepEqual(await store.deleteByUser?.(user), [])
    },
  },
  {
    name: 'listByUser returns each record as it was written',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const k = key()
      const r = record({
        userId: user,
        user: { id: user, roles: ['reader'] },
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) é',
        persistent: false,
        ttl: 90,
        absoluteExpiresAt: Date.now() + 50_000,
      })
      await store.set(k, r, 60)
      assert.deepEqual(await store.listByUser?.(user), [{ key: k, record: r }])
    },
  },
  {
    name: 'a rotated session is indexed under its new key only',
    capability: 'userIndex',
    body: async (store) => {
      // What login does: write the record under a new key, then delete the old key.
      const user = `user-${newSessionId()}`
      const [old, fresh, sibling] = [key(), key(), key()]
      await store.set(old, record({ userId: user, data: { step: 1 } }), 60)
      await store.set(sibling, record({ userId: user }), 60)
      await store.set(fresh, record({ userId: user, data: { step: 2 } }), 60)
      await store.delete(old)
      assert.deepEqual(await sortedKeys(store, user), [fresh, sibling].sort())
      assert.deepEqual(
        [...((await store.deleteByUser?.(user)) ?? [])].sort(),
        [fresh, sibling].sort(),
      )
      assert.equal(await store.get(old), undefined)
    },
  },
  {
    name: 'a record re-written without a userId leaves the index',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const k = key()
      await store.set(k, record({ userId: user }), 60)
      await store.set(k, record(), 60)
      assert.deepEqual(await sortedKeys(store, user), [])
      assert.deepEqual(await store.deleteByUser?.(user), [])
      assert.ok(
        await store.get(k),
        'deleteByUser deleted a session that no longer belongs to the user',
      )
    },
  },
  {
    name: 'deleteByUser neither counts nor lists expired sessions',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const [expiring, live] = [key(), key()]
      await store.set(expiring, record({ userId: user, expiresAt: Date.now() + 1000 }), 1)
      await store.set(live, record({ userId: user }), 60)
      await sleep(2100)
      assert.deepEqual(await sortedKeys(store, user), [live])
      assert.deepEqual(await store.deleteByUser?.(user), [live])
      assert.deepEqual(await sortedKeys(store, user), [])
    },
  },
  {
    name: 'an exceptKey that is not the user’s spares nothing of the user and touches nobody else',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const other = `user-${newSessionId()}`
      const [a, b, foreign] = [key(), key(), key()]
      await store.set(a, record({ userId: user }), 60)
      await store.set(b, record({ userId: user }), 60)
      await store.set(foreign, record({ userId: other }), 60)
      const deleted = await store.deleteByUser?.(user, { exceptKey: foreign })
      assert.deepEqual([...(deleted ?? [])].sort(), [a, b].sort())
      assert.ok(await store.get(foreign))
      assert.deepEqual(await store.deleteByUser?.(user, { exceptKey: key() }), [])
    },
  },
  {
    name: 'the index stays consistent after deleteByUser: a new session of the user is listed',
    capability: 'userIndex',
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const keys = Array.from({ length: 50 }, () => key())
      for (const k of keys) await store.set(k, record({ userId: user }), 60)
      assert.equal((await store.listByUser?.(user))?.length, 50)
      assert.equal((await store.deleteByUser?.(user))?.length, 50)
      for (const k of keys) assert.equal(await store.get(k), undefined)
      const next = key()
      await store.set(next, record({ userId: user }), 60)
      assert.deepEqual(await sortedKeys(store, user), [next])
    },
  },
  {
    name: 'touch keeps the session indexed, with its new times',
    capability: 'userIndex',
    alsoNeeds: ['touch'],
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const k = key()
      await store.set(k, record({ userId: user }), 60)
      const times = { lastSeenAt: Date.now() + 5, expiresAt: Date.now() + 120_000 }
      await store.touch?.(k, times, 120)
      const [entry] = (await store.listByUser?.(user)) ?? []
      assert.equal(entry?.key, k)
      assert.equal(entry?.record.lastSeenAt, times.lastSeenAt)
      assert.equal(entry?.record.expiresAt, times.expiresAt)
    },
  },
  {
    name: 'a session deleted by deleteByUser while locked stays deleted',
    capability: 'userIndex',
    alsoNeeds: ['lock'],
    body: async (store) => {
      const user = `user-${newSessionId()}`
      const k = key()
      await store.set(k, record({ userId: user }), 60)
      const lease = await lockOf(store)(k, { leaseMs: 5000, waitMs: 2000 })
      // deleteByUser does not wait for the lock: "log out everywhere" must not hang on a busy session.
      assert.deepEqual(await store.deleteByUser?.(user), [k])
      const written = await lease.commit({
        type: 'set',
        record: record({ userId: user, data: { resurrected: true } }),
        ttlSeconds: 60,
      })
      assert.equal(written, false)
      assert.equal(await store.get(k), undefined)
      assert.deepEqual(await sortedKeys(store, user), [])
    },
  },
  {
    name: 'a session written while deleteByUser runs is deleted or stays listed',
    capability: 'userIndex',
    body: writesRacingDeleteByUser,
  },
]

const CAPABILITIES: readonly Capability[] = ['touch', 'lock', 'userIndex']

/**
 * The store contract as test cases, for every store (ours and third-party).
 * Framework-neutral: each case is a function that throws on failure.
 *
 * @example
 * ```ts
 * import { storeConformance } from 'latchkey/testing'
 * import { describe, it } from 'vitest'
 *
 * describe('MyStore', () => {
 *   const cases = storeConformance({ create: () => new MyStore(), capabilities: { touch: true } })
 *   for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
 * })
 * ```
 */
export function storeConformance(options: ConformanceOptions): ConformanceCase[] {
  const dispose = options.dispose ?? ((store: SessionStore) => store.close?.())
  const declared = (capability: Capability) => options.capabilities[capability] === true
  const withStore = (body: Body) => async () => {
    const store = await options.create()
    try {
      await body(store)
    } finally {
      await dispose(store)
    }
  }
  const declaration: ConformanceCase = {
    name: 'declares exactly the capabilities it implements',
    skip: false,
    run: withStore(async (store) => {
      for (const capability of CAPABILITIES) {
        assert.equal(
          supports(store, capability),
          declared(capability),
          `capability "${capability}" declared ${declared(capability)} but implemented ${supports(store, capability)}`,
        )
      }
      assert.equal(typeof store.name, 'string')
    }),
  }
  return [
    declaration,
    ...cases.map(({ name, capability, alsoNeeds = [], body }) => ({
      name,
      ...(capability === undefined ? {} : { capability }),
      skip: [...(capability === undefined ? [] : [capability]), ...alsoNeeds].some(
        (needed) => !declared(needed),
      ),
      run: withStore(body),
    })),
  ]
}
