import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { newSessionId } from '../../crypto/ids.js'
import { writesRacingDeleteByUser } from '../revocation-race.js'
import { key, lockOf, record, type StoreCase, sortedKeys } from './fixtures.js'

/** The per-user index (`listByUser` / `deleteByUser`). */
export const userIndexCases: StoreCase[] = [
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
