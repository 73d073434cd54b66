import { describe, expect, it, vi } from 'vitest'
import { hashSessionId, newSessionId } from '../../crypto/ids.js'
import { storeConformance } from '../../testing/index.js'
import { MemoryStore } from './memory-store.js'

describe('MemoryStore conformance', () => {
  const cases = storeConformance({
    create: () => new MemoryStore(),
    capabilities: { touch: true, lock: true, userIndex: true, sweep: true },
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run)
})

function record(ttlMs: number) {
  const now = Date.now()
  return { data: { n: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + ttlMs }
}

describe('MemoryStore', () => {
  it('sweeps 100,000 expired sessions until it is empty', async () => {
    const store = new MemoryStore({ maxEntries: 200_000 })
    for (let i = 0; i < 100_000; i++)
      await store.set(hashSessionId(newSessionId()), record(1000), 1)
    expect(store.size).toBe(100_000)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(store.sweep()).toBe(100_000)
    expect(store.size).toBe(0)
    await store.close()
  })

  it('runs the sweep by itself on its interval', async () => {
    const store = new MemoryStore({ sweepInterval: 0.2 })
    await store.set('k', record(50), 1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(store.size).toBe(0)
    await store.close()
  })

  it('starts and stops where timers are numbers without unref (Cloudflare Workers)', async () => {
    const nodeSetInterval = globalThis.setInterval
    vi.stubGlobal('setInterval', (handler: () => void, ms: number) =>
      Number(nodeSetInterval(handler, ms)),
    )
    try {
      const store = new MemoryStore({ sweepInterval: 0.05 })
      await store.set('k', record(10), 1)
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(store.size).toBe(0)
      await store.close()
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('evicts the least recently used entry past maxEntries', async () => {
    const store = new MemoryStore({ maxEntries: 2 })
    await store.set('a', record(60_000), 60)
    await store.set('b', record(60_000), 60)
    await store.get('a')
    await store.set('c', record(60_000), 60)
    expect(await store.get('b')).toBeUndefined()
    expect(await store.get('a')).toBeDefined()
    expect(await store.get('c')).toBeDefined()
    await store.close()
  })

  it('evicts in least-recently-used order under any mix of reads, writes and deletes', async () => {
    // A reference model: an array of keys, least recently used first.
    let seed = 7
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % n
    }
    const maxEntries = 5
    const store = new MemoryStore({ maxEntries })
    let order: string[] = []
    const use = (key: string) => {
      order = [...order.filter((k) => k !== key), key]
    }
    for (let step = 0; step < 5_000; step++) {
      const key = `k${next(9)}`
      const operation = next(3)
      if (operation === 0) {
        await store.set(key, record(60_000), 60)
        use(key)
        if (order.length > maxEntries) order = order.slice(order.length - maxEntries)
      } else if (operation === 1) {
        const found = (await store.get(key)) !== undefined
        expect(found).toBe(order.includes(key))
        if (found) use(key)
      } else {
        await store.delete(key)
        order = order.filter((k) => k !== key)
      }
      expect(store.size).toBe(order.length)
    }
    await store.close()
  })

  it('moves a rewritten session to its new user', async () => {
    const store = new MemoryStore()
    await store.set('k', { ...record(60_000), userId: 'ann' }, 60)
    await store.set('k', { ...record(60_000), userId: 'bob' }, 60)
    expect(await store.listByUser('ann')).toEqual([])
    expect((await store.listByUser('bob')).map((s) => s.key)).toEqual(['k'])
    await store.set('k', record(60_000), 60)
    expect(await store.listByUser('bob')).toEqual([])
    await store.close()
  })

  it('rejects bad options with a coded error', () => {
    expect(() => new MemoryStore({ sweepInterval: 0 })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
    expect(() => new MemoryStore({ maxEntries: 1.5 })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })
})
