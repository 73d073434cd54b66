import type { SessionRecord, StoreLease, StoreLockOptions } from '../../src/core/store.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

/** A real MemoryStore that counts the operations it serves and remembers the keys it saw. */
export class CountingStore extends MemoryStore {
  readonly calls = { get: 0, set: 0, delete: 0, touch: 0, lock: 0, commit: 0 }
  readonly keys = new Set<string>()

  override async get(key: string) {
    this.calls.get++
    this.keys.add(key)
    return super.get(key)
  }

  override async set(key: string, record: SessionRecord, ttl: number) {
    this.calls.set++
    this.keys.add(key)
    return super.set(key, record, ttl)
  }

  override async delete(key: string) {
    this.calls.delete++
    return super.delete(key)
  }

  override async touch(
    key: string,
    times: Pick<SessionRecord, 'lastSeenAt' | 'expiresAt'>,
    ttl: number,
  ) {
    this.calls.touch++
    return super.touch(key, times, ttl)
  }

  override async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    this.calls.lock++
    this.keys.add(key)
    const lease = await super.lock(key, options)
    return {
      record: lease.record,
      commit: (change) => {
        this.calls.commit++
        return lease.commit(change)
      },
    }
  }

  get total(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0)
  }

  reset(): void {
    for (const name of Object.keys(this.calls) as Array<keyof typeof this.calls>)
      this.calls[name] = 0
  }
}
