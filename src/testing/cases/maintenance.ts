import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import type { StoreStats } from '../../core/store.js'
import { newSessionId } from '../../crypto/ids.js'
import { key, record, type StoreCase } from './fixtures.js'

const DAY_MS = 86_400_000

async function statsOf(store: Parameters<StoreCase['body']>[0]): Promise<StoreStats> {
  const stats = await store.stats?.()
  assert.ok(stats, 'the store declares the stats capability but has no stats()')
  return stats
}

/** The administrator's capabilities (`stats`, `sweep`). */
export const maintenanceCases: StoreCase[] = [
  {
    name: 'stats counts live and logged-in sessions, by age',
    capability: 'stats',
    body: async (store) => {
      const before = await statsOf(store)
      const now = Date.now()
      await store.set(key(), record({ userId: `user-${newSessionId()}` }), 60)
      await store.set(key(), record({ createdAt: now - 2 * DAY_MS }), 60)
      const after = await statsOf(store)
      assert.equal(after.live - before.live, 2)
      assert.equal(after.authenticated - before.authenticated, 1)
      const grown = after.byAge.map((bucket, i) => bucket.count - (before.byAge[i]?.count ?? 0))
      // Under an hour old, and between a day and a week old.
      assert.deepEqual(grown, [1, 0, 1, 0, 0])
      assert.deepEqual(
        after.byAge.map((bucket) => bucket.maxAgeSeconds),
        [3600, 86_400, 604_800, 2_592_000, null],
      )
      assert.equal(
        after.byAge.reduce((sum, bucket) => sum + bucket.count, 0),
        after.live,
      )
      assert.ok(after.expired >= 0)
    },
  },
  {
    name: 'sweep deletes what has expired, keeps live sessions and reports its progress',
    capability: 'sweep',
    body: async (store) => {
      const [live, expiring] = [key(), key()]
      await store.set(live, record({ userId: `user-${newSessionId()}` }), 60)
      const short = record({ userId: `user-${newSessionId()}`, expiresAt: Date.now() + 1000 })
      await store.set(expiring, short, 1)
      await sleep(1100)
      const progress: number[] = []
      const swept = await store.sweep?.((total) => progress.push(total))
      assert.ok(typeof swept === 'number' && swept >= 1, `swept ${String(swept)}`)
      assert.ok(progress.length > 0, 'onProgress was never called')
      assert.equal(progress.at(-1), swept)
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => a - b),
      )
      assert.equal(await store.get(expiring), undefined)
      assert.ok(await store.get(live))
    },
  },
]
