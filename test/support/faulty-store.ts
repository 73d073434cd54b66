import { setTimeout as sleep } from 'node:timers/promises'
import type { SessionRecord } from '../../src/core/store.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

/** A real MemoryStore whose writes can be made to fail or to stall, as an unreachable backend would. */
export class FaultyStore extends MemoryStore {
  override readonly name: string
  broken = false
  delayMs = 0

  constructor(name: string) {
    super()
    this.name = name
  }

  async #fault(): Promise<void> {
    if (this.delayMs > 0) await sleep(this.delayMs)
    if (this.broken) throw new Error('connection refused')
  }

  override async set(key: string, record: SessionRecord, ttl: number) {
    await this.#fault()
    return super.set(key, record, ttl)
  }

  override async delete(key: string) {
    await this.#fault()
    return super.delete(key)
  }

  override async touch(
    key: string,
    times: Pick<SessionRecord, 'lastSeenAt' | 'expiresAt'>,
    ttl: number,
  ) {
    await this.#fault()
    return super.touch(key, times, ttl)
  }
}
