import { LRUCache } from 'lru-cache'
import { SessionConfigError } from '../../core/errors.js'
import { KeyedMutex } from '../../core/keyed-mutex.js'
import { cloneRecord } from '../../core/record.js'
import { MAX_TIMER_SECONDS, seconds } from '../../core/seconds.js'
import type {
  IndexedSession,
  LeaseChange,
  SessionStore,
  StoredRecord,
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
   * Most sessions without a user (no `userId`) kept; past it the least
   * recently used of them is evicted. Sessions with a user have their own
   * budget, `maxUserEntries`, so anonymous traffic never evicts them.
   * @default 100000
   */
  maxEntries?: number
  /**
   * Most sessions with a user (`userId` set, i.e. logged in) kept; past it the
   * least recently used of them is evicted, never an anonymous one.
   * @default 100000
   */
  maxUserEntries?: number
}

interface Entry {
  /** A deep copy of the record: stored data never shares objects with callers. */
  readonly record: StoredRecord
  lastSeenAt: number
  expiresAt: number
}

type Cache = LRUCache<string, Entry>

const clock = { now: () => Date.now() }

/**
 * Sessions in this process's memory: for development,
 * tests and single-process apps. O(1) reads and writes, expiry honoured on
 * read, a periodic sweep, and least-recently-used bounds on size, one for
 * sessions without a user and one for sessions with a user. Sessions are lost
 * on restart and not shared between processes.
 *
 * @example
 * ```ts
 * const sessions = new Sessions({ store: new MemoryStore({ maxEntries: 50_000 }) })
 * ```
 */
export class MemoryStore implements SessionStore {
  readonly name: string = 'memory'
  readonly #anonymous: Cache
  readonly #signedIn: Cache
  readonly #byUser = new Map<string, Set<string>>()
  readonly #locks = new KeyedMutex()
  readonly #sweepMs: number
  #timer: ReturnType<typeof setInterval> | undefined
  #closed = false

  constructor(options: MemoryStoreOptions = {}) {
    const sweepInterval = seconds(options.sweepInterval ?? 60, 'sweepInterval', {
      max: MAX_TIMER_SECONDS,
    })
    this.#anonymous = newCache(positiveInteger('maxEntries', options.maxEntries))
    this.#signedIn = newCache(
      positiveInteger('maxUserEntries', options.maxUserEntries),
      (entry, key) => this.#unindex(entry, key),
    )
    this.#sweepMs = sweepInterval * 1000
  }

  /** Number of entries held, expired ones not yet swept included. */
  get size(): number {
    return this.#anonymous.size + this.#signedIn.size
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    return this.#read(this.#use(key))
  }

  async set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    this.#write(key, record, ttlSeconds)
  }

  async delete(key: string): Promise<void> {
    this.#remove(key)
  }

  async touch(
    key: string,
    times: Pick<StoredRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<boolean> {
    const cache = this.#cacheOf(key)
    const entry = cache?.get(key)
    if (!cache || !entry) return false
    const now = Date.now()
    entry.lastSeenAt = times.lastSeenAt
    entry.expiresAt = Math.min(times.expiresAt, now + ttlSeconds * 1000)
    if (entry.expiresAt > now) cache.set(key, entry, { ttl: entry.expiresAt - now })
    else cache.delete(key)
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
      const record = this.#read(this.#signedIn.peek(key))
      if (record) sessions.push({ key, record })
    }
    return sessions
  }

  async deleteByUser(userId: string, options: { exceptKey?: string } = {}): Promise<string[]> {
    const deleted: string[] = []
    for (const key of [...(this.#byUser.get(userId) ?? [])]) {
      if (key === options.exceptKey) continue
      if (this.#signedIn.has(key)) deleted.push(key)
      this.#signedIn.delete(key)
    }
    return deleted
  }

  /**
   * Deletes every expired entry now; returns how many, also to `onProgress`.
   * Runs by itself every `sweepInterval`.
   */
  sweep(onProgress?: (swept: number) => void): number {
    const before = this.size
    this.#anonymous.purgeStale()
    this.#signedIn.purgeStale()
    const swept = before - this.size
    onProgress?.(swept)
    return swept
  }

  /** Stops the sweep timer. The data stays readable (and writable, without the sweep). */
  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#timer)
    this.#timer = undefined
  }

  /**
   * Starts the sweep at the first write, not in the constructor: Cloudflare
   * Workers refuse timers in a module's global scope, where stores are made.
   */
  #sweepFromNowOn(): void {
    if (this.#timer !== undefined || this.#closed) return
    this.#timer = setInterval(() => this.sweep(), this.#sweepMs)
    // Workers' timers are numbers, without unref.
    this.#timer.unref?.()
  }

  #lease(key: string, release: () => void): StoreLease {
    return {
      record: this.#read(this.#use(key)),
      commit: async (change?: LeaseChange) => {
        try {
          if (change?.type === 'delete') this.#remove(key)
          else if (change?.type === 'set') {
            if (!this.#cacheOf(key)) return false
            this.#write(key, change.record, change.ttlSeconds)
          }
          return true
        } finally {
          release()
        }
      },
    }
  }

  /** The live entry under `key`, marked most recently used. */
  #use(key: string): Entry | undefined {
    return this.#anonymous.get(key) ?? this.#signedIn.get(key)
  }

  /** The cache holding a live entry under `key`, without marking it used. */
  #cacheOf(key: string): Cache | undefined {
    if (this.#anonymous.has(key)) return this.#anonymous
    if (this.#signedIn.has(key)) return this.#signedIn
    return undefined
  }

  #remove(key: string): void {
    this.#anonymous.delete(key)
    this.#signedIn.delete(key)
  }

  #read(entry: Entry | undefined): StoredRecord | undefined {
    if (!entry) return undefined
    const record = cloneRecord(entry.record)
    // Touch changes the times without rewriting the record.
    record.lastSeenAt = entry.lastSeenAt
    record.expiresAt = entry.expiresAt
    return record
  }

  #write(key: string, record: StoredRecord, ttlSeconds: number): void {
    const userId = record.userId
    const now = Date.now()
    const expiresAt = Math.min(record.expiresAt, now + ttlSeconds * 1000)
    const cache = userId === undefined ? this.#anonymous : this.#signedIn
    // A session that logs in or out changes budget.
    const other = userId === undefined ? this.#signedIn : this.#anonymous
    if (other.size > 0) other.delete(key)
    if (!(expiresAt > now)) {
      cache.delete(key)
      return
    }
    const entry: Entry = { record: cloneRecord(record), lastSeenAt: record.lastSeenAt, expiresAt }
    cache.set(key, entry, { ttl: expiresAt - now, start: now })
    this.#sweepFromNowOn()
    if (userId !== undefined) {
      const keys = this.#byUser.get(userId)
      if (keys) keys.add(key)
      else this.#byUser.set(userId, new Set([key]))
    }
  }

  /** Drops a signed-in entry's key from its user's index when it leaves its cache. */
  #unindex(entry: Entry, key: string): void {
    const userId = entry.record.userId
    if (userId === undefined) return
    const keys = this.#byUser.get(userId)
    keys?.delete(key)
    if (keys?.size === 0) this.#byUser.delete(userId)
  }
}

function positiveInteger(name: string, value: number | undefined): number {
  const bound = value ?? 100_000
  // 2 ** 32 - 1 is the longest array there is: lru-cache reserves arrays of the bound's length.
  if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32 - 1) {
    throw new SessionConfigError(
      `${name} must be a positive integer up to 2 ** 32 - 1, got ${String(value)}`,
    )
  }
  return bound
}

function newCache(max: number, dispose?: (entry: Entry, key: string) => void): Cache {
  // Expiry is judged on the clock that records' times use; a resolution of 0
  // reads it on every check instead of caching it behind a timer.
  const options: LRUCache.Options<string, Entry, unknown> = { max, perf: clock, ttlResolution: 0 }
  if (dispose) options.dispose = dispose
  return new LRUCache(options)
}
