import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { key, record, type StoreCase } from './fixtures.js'

/** The `touch` capability. */
export const touchCases: StoreCase[] = [
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
]
