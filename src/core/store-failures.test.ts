import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../stores/memory/index.js'
import { SessionLockLostError, SessionStoreError } from './errors.js'
import { Sessions } from './sessions.js'
import type { StoredRecord, StoreLease, StoreLockOptions } from './store.js'

type Operation = 'get' | 'lock' | 'commit'
type Way = 'rejects' | 'throws'

/** A MemoryStore whose get, lock or lease commit fails once, by rejecting or by throwing at the call. */
class FailingStore extends MemoryStore {
  failing: { operation: Operation; way: Way; error: Error } | undefined

  #fail(operation: Operation): Promise<never> | undefined {
    const failing = this.failing
    if (failing?.operation !== operation) return undefined
    this.failing = undefined
    if (failing.way === 'throws') throw failing.error
    return Promise.reject(failing.error)
  }

  override get(key: string): Promise<StoredRecord | undefined> {
    return this.#fail('get') ?? super.get(key)
  }

  override lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    return (
      this.#fail('lock') ??
      super.lock(key, options).then((lease) => ({
        record: lease.record,
        commit: (change) => {
          let failed: Promise<never> | undefined
          try {
            failed = this.#fail('commit')
          } catch (error) {
            // Either way the store's own lock is released: only the answer is lost.
            void lease.commit()
            throw error
          }
          if (failed) return lease.commit().then(() => failed)
          return lease.commit(change)
        },
      }))
    )
  }
}

async function setUp() {
  const store = new FailingStore()
  const sessions = new Sessions({ store, warnLock: false })
  const first = sessions.open({ cookie: undefined })
  await first.withLock((s) => s.set('n', 1))
  const cookie = (await first.commit())[0]?.split(';')[0]
  const open = () => sessions.open({ cookie })
  return { store, open }
}

describe('store failures reach the application as SessionStoreError (503), and no lock stays held', () => {
  for (const way of ['rejects', 'throws'] as const) {
    it(`a read whose store ${way}`, async () => {
      const { store, open } = await setUp()
      store.failing = { operation: 'get', way, error: new Error('connection reset') }
      const session = open()
      const failure = await session.get('n').catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(SessionStoreError)
      expect(failure).toMatchObject({
        statusCode: 503,
        message: expect.stringMatching(/get failed: connection reset/),
      })
      expect(await open().get('n')).toBe(1)
    })

    it(`a lock whose store ${way}`, async () => {
      const { store, open } = await setUp()
      store.failing = { operation: 'lock', way, error: new Error('connection reset') }
      const failure = await open()
        .withLock((s) => s.set('n', 2))
        .catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(SessionStoreError)
      expect((failure as Error).message).toMatch(/lock failed: connection reset/)
      await open().withLock((s) => s.set('n', 3))
      expect(await open().get('n')).toBe(3)
    })

    it(`a save whose store ${way}, and a release without changes whose store ${way}`, async () => {
      const { store, open } = await setUp()
      for (const change of [(n: number) => n + 1, (n: number) => n]) {
        store.failing = { operation: 'commit', way, error: new Error('connection reset') }
        const failure = await open()
          .withLock((s) => {
            const n = s.get('n') as number
            if (change(n) !== n) s.set('n', change(n))
          })
          .catch((error: unknown) => error)
        expect(failure).toBeInstanceOf(SessionStoreError)
        expect((failure as Error).message).toMatch(/commit failed: connection reset/)
      }
      await open().withLock((s) => s.set('n', 7))
      expect(await open().get('n')).toBe(7)
    })
  }

  it("passes latchkey's own errors from a store through as they are", async () => {
    const { store, open } = await setUp()
    const lost = new SessionLockLostError()
    store.failing = { operation: 'commit', way: 'rejects', error: lost }
    const failure = await open()
      .withLock((s) => s.set('n', 2))
      .catch((error: unknown) => error)
    expect(failure).toBe(lost)
  })
})
