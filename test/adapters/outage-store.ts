import { setTimeout as sleep } from 'node:timers/promises'
import type { SessionRecord, StoreLease, StoreLockOptions } from '../../src/core/store.js'
import { CountingStore } from '../support/counting-store.js'

/**
 * A real, counting MemoryStore that can be taken down (every operation then
 * fails as an unreachable server would) and whose locked saves can be slowed
 * to a network round trip.
 */
export class OutageStore extends CountingStore {
  down = false
  /** Milliseconds each locked save takes. */
  commitLatency = 0

  #check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379')
  }

  override async get(key: string) {
    this.#check()
    return super.get(key)
  }

  override async set(key: string, record: SessionRecord, ttl: number) {
    this.#check()
    return super.set(key, record, ttl)
  }

  override async delete(key: string) {
    this.#check()
    return super.delete(key)
  }

  override async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    this.#check()
    const lease = await super.lock(key, options)
    return {
      record: lease.record,
      commit: async (change) => {
        if (this.commitLatency > 0) await sleep(this.commitLatency)
        return lease.commit(change)
      },
    }
  }
}
