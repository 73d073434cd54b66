import { SessionConfigError } from '../../core/errors.js'
import { KeyedMutex } from '../../core/keyed-mutex.js'
import { cloneRecord } from '../../core/record.js'
import { MAX_TIMER_SECONDS, seconds } from '../../core/seconds.js'
import type {
  IndexedSession,
  LeaseChange,
  SessionRecord,
  SessionStore,
  StoreLease,
  StoreLockOptions,
} from '../../core/store.js'

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Seconds between sweeps of expired sessions. The sweep timer starts with
   * the store, does not keep the process alive, and stops on `close()`.
   * @default 60
   */
  sweepInterval?: number
  /**
   * Most sessions kept; past it the least recently used one is evicted.
   * @default 100000
   */
  maxEntries?: number
}

interface Entry {
  readonly key: string
  /** A deep copy of the record: stored data never shares objects with callers. */
  record: SessionRecord
  lastSeenAt: number
  expiresAt: number
  userId: string | undefined
  /** The neighbours in least-recently-used order. */
  older: Entry | undefined
  newer: Entry | undefined
}

/**
 * Sessions in this process's memory (original `InMemory`): for development,
 * tests and single-process apps. O(1) reads and writes, expiry honoured on
 * read, a periodic sweep, and a least-recently-used bound on size. Sessions
 * are lost on restart and not shared between processes.
 *
 * @example
 * ```ts
 * const sessions = new Sessions({ store: new MemoryStore({ maxEntries: 50_000 }) })
 * ```
 */
export class MemoryStore implements SessionStore {
  readonly name: string = 'memory'
  readonly #entries = new Map<string, Entry>()
  // Recency is a list through the entries, not the Map's insertion order: moving
  // an entry to the front is a few pointer writes, where re-inserting it in the
  // Map is a delete, a set and, as deleted slots pile up, a rehash (every read).
  #oldest: Entry | undefined
  #newest: Entry | undefined
  readonly #byUser = new Map<string, Set<string>>()
  readonly #locks = new KeyedMutex()
  readonly #maxEntries: number
  #timer: NodeJS.Timeout | undefined

  constructor(options: MemoryStoreOptions = {}) {
    const sweepInterval = seconds(options.sweepInterval ?? 60, 'sweepInterval', {
      max: MAX_TIMER_SECONDS,
    })
    const maxEntries = options.maxEntries ?? 100_000
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new SessionConfigError(
        `maxEntries must be a positive integer, got ${String(maxEntries)}`,
      )
    }
    this.#maxEntries = maxEntries
    this.#timer = setInterval(() => this.sweep(), sweepInterval * 1000)
    this.#timer.unref()
  }

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.#entries.size
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    return this.#read(key)
  }

  async set(key: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    this.#write(key, record, ttlSeconds)
  }

  async delete(key: string): Promise<void> {
    this.#remove(key)
  }

  async touch(
    key: string,
    times: Pick<SessionRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<boolean> {
    const entry = this.#live(key)
    if (!entry) return false
    entry.lastSeenAt = times.lastSeenAt
    entry.expiresAt = Math.min(times.expiresAt, Date.now() + ttlSeconds * 1000)
    return true
  }

  lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    // Uncontended (the common case): no wait, so no extra turn of the event loop.
    const release = this.#locks.tryAcquire(key)
    if (release) return Promise.resolve(this.#lease(key, release))
    return this.#locks.acquire(key, options.waitMs).then((granted) => this.#lease(key, granted))
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const sessions: IndexedSession[] = []
    for (const key of this.#byUser.get(userId) ?? []) {
      const record = this.#read(key, false)
      if (record) sessions.push({ key, record })
    }
    return sessions
  }

  async deleteByUser(userId: string, options: { exceptKey?: string } = {}): Promise<string[]> {
    const deleted: string[] = []
    for (const key of [...(this.#byUser.get(userId) ?? [])]) {
      if (key === options.exceptKey) continue
      if (this.#live(key)) deleted.push(key)
      this.#remove(key)
    }
    return deleted
  }

  /** Deletes every expired entry now; returns how many. Runs by itself every `sweepInterval`. */
  sweep(): number {
    const now = Date.now()
    let swept = 0
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#remove(key)
        swept++
      }
    }
    return swept
  }

  /** Stops the sweep timer. The data stays readable. */
  async close(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  #lease(key: string, release: () => void): StoreLease {
    return {
      record: this.#read(key),
      commit: async (change?: LeaseChange) => {
        try {
          if (change?.type === 'delete') this.#remove(key)
          else if (change?.type === 'set') {
            if (!this.#live(key)) return false
            this.#write(key, change.record, change.ttlSeconds)
          }
          return true
        } finally {
          release()
        }
      },
    }
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= Date.now()) {
      this.#remove(key)
      return undefined
    }
    return entry
  }

  #read(key: string, markUsed = true): SessionRecord | undefined {
    const entry = this.#live(key)
    if (!entry) return undefined
    if (markUsed) this.#markUsed(entry)
    const record = cloneRecord(entry.record)
    // Touch changes the times without rewriting the record.
    record.lastSeenAt = entry.lastSeenAt
    record.expiresAt = entry.expiresAt
    return record
  }

  #write(key: string, record: SessionRecord, ttlSeconds: number): void {
    const userId = record.userId
    const stored = cloneRecord(record)
    const expiresAt = Math.min(record.expiresAt, Date.now() + ttlSeconds * 1000)
    let entry = this.#entries.get(key)
    if (entry) {
      if (entry.userId !== userId) this.#unindex(entry)
      entry.record = stored
      entry.lastSeenAt = record.lastSeenAt
      entry.expiresAt = expiresAt
      entry.userId = userId
      this.#markUsed(entry)
    } else {
      entry = {
        key,
        record: stored,
        lastSeenAt: record.lastSeenAt,
        expiresAt,
        userId,
        older: undefined,
        newer: undefined,
      }
      this.#entries.set(key, entry)
      this.#append(entry)
    }
    if (userId !== undefined) {
      const keys = this.#byUser.get(userId)
      if (keys) keys.add(key)
      else this.#byUser.set(userId, new Set([key]))
    }
    while (this.#entries.size > this.#maxEntries && this.#oldest) this.#remove(this.#oldest.key)
  }

  /** Moves an entry to the most recently used end. */
  #markUsed(entry: Entry): void {
    if (entry === this.#newest) return
    this.#unlink(entry)
    this.#append(entry)
  }

  /** Links an entry that is in no list at the most recently used end. */
  #append(entry: Entry): void {
    entry.older = this.#newest
    entry.newer = undefined
    if (this.#newest) this.#newest.newer = entry
    else this.#oldest = entry
    this.#newest = entry
  }

  #unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer
    else this.#oldest = entry.newer
    if (entry.newer) entry.newer.older = entry.older
    else this.#newest = entry.older
  }

  /** Drops an entry's key from its user's index. */
  #unindex(entry: Entry): void {
    if (entry.userId === undefined) return
    const keys = this.#byUser.get(entry.userId)
    keys?.delete(entry.key)
    if (keys?.size === 0) this.#byUser.delete(entry.userId)
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#unlink(entry)
    this.#unindex(entry)
  }
}
