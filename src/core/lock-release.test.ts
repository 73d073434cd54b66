import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../stores/memory/index.js'
import { Sessions } from './sessions.js'
import type { StoreLease, StoreLockOptions } from './store.js'

/** A MemoryStore whose locked saves take a network round trip. */
class SlowSaves extends MemoryStore {
  override async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    const lease = await super.lock(key, options)
    return {
      record: lease.record,
      commit: async (change) => {
        await sleep(20)
        return lease.commit(change)
      },
    }
  }
}

describe('a lock taken while the same request releases it', () => {
  it('waits for the release and locks anew: no write is lost', async () => {
    const sessions = new Sessions<{ n: number }>({ store: new SlowSaves(), warnLock: false })
    const first = sessions.open({ cookie: undefined })
    await first.set('n', 0)
    const cookie = (await first.commit())[0]?.split(';')[0] as string

    const session = sessions.open({ cookie })
    const increment = () =>
      session.withLock((s) => {
        s.set('n', (s.get('n') ?? 0) + 1)
      })
    const releasing = increment()
    // Let the first release start its slow save, then lock again from the same request.
    await sleep(5)
    await Promise.all([releasing, increment()])
    await session.commit()

    const after = sessions.open({ cookie })
    expect(await after.get('n')).toBe(2)
    await after.commit()
    await sessions.close()
  })
})
