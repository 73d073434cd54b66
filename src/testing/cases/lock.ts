import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { SessionLockTimeoutError } from '../../core/errors.js'
import { key, lockOf, record, type StoreCase } from './fixtures.js'

/** The `lock` capability: a lock taken with a read, fenced commits, waiting. */
export const lockCases: StoreCase[] = [
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
]
