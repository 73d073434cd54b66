import { describe, expect, it } from 'vitest'
import { hashSessionId, newSessionId } from '../../crypto/ids.js'
import { storeConformance } from '../../testing/index.js'
import { MemoryStore } from './memory-store.js'

describe('MemoryStore conformance', () => {
  const cases = storeConformance({
    create: () => new MemoryStore(),
    capabilities: { touch: true, lock: true, userIndex: true },
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

  it('rejects bad options with a coded error', () => {
    expect(() => new MemoryStore({ sweepInterval: 0 })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
    expect(() => new MemoryStore({ maxEntries: 1.5 })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })
})
