import { setTimeout as sleep } from 'node:timers/promises'
import type { StoreLease } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const OPERATIONS = ['get', 'set', 'delete', 'touch', 'lock', 'commit'] as const

/**
 * A real MemoryStore whose operations are counted (to prove which requests
 * did store I/O) and which can be taken down (every operation then fails as
 * an unreachable server would).
 */
export class CountingStore extends MemoryStore {
  readonly calls = { get: 0, set: 0, delete: 0, touch: 0, lock: 0, commit: 0 }
  down = false
  /** Milliseconds each locked save takes, as a network round trip would. */
  commitLatency = 0

  get total(): number {
    return OPERATIONS.reduce((sum, operation) => sum + this.calls[operation], 0)
  }

  #use(operation: (typeof OPERATIONS)[number]): void {
    this.calls[operation]++
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379')
  }

  override async get(...args: Parameters<MemoryStore['get']>) {
    this.#use('get')
    return super.get(...args)
  }

  override async set(...args: Parameters<MemoryStore['set']>) {
    this.#use('set')
    return super.set(...args)
  }

  override async delete(...args: Parameters<MemoryStore['delete']>) {
    this.#use('delete')
    return super.delete(...args)
  }

  override async touch(...args: Parameters<MemoryStore['touch']>) {
    this.#use('touch')
    return super.touch(...args)
  }

  override async lock(...args: Parameters<MemoryStore['lock']>): Promise<StoreLease> {
    this.#use('lock')
    const lease = await super.lock(...args)
    return {
      record: lease.record,
      commit: async (change) => {
        this.#use('commit')
        if (this.commitLatency > 0) await sleep(this.commitLatency)
        return lease.commit(change)
      },
    }
  }
}
