import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { key, record, type StoreCase } from './fixtures.js'

/** get, set, delete, isolation and expiry: what every store does. */
export const basicCases: StoreCase[] = [
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
]
