import { SessionLockTimeoutError } from './errors.js'

interface Waiter {
  grant: () => void
  timer: NodeJS.Timeout
}

interface Entry {
  waiters: Waiter[]
}

/** Releases a lock taken by {@link KeyedMutex.acquire}; calling it twice is harmless. */
export type Release = () => void

/**
 * An in-process FIFO mutex per key. An entry exists only while its key is held
 * or awaited, so memory does not grow with the number of keys ever locked.
 */
export class KeyedMutex {
  readonly #entries = new Map<string, Entry>()

  /** Number of keys currently held or awaited. */
  get size(): number {
    return this.#entries.size
  }

  /** Whether `key` is held by someone. */
  isLocked(key: string): boolean {
    return this.#entries.has(key)
  }

  /** Takes `key` at once when nobody holds it; undefined otherwise. */
  tryAcquire(key: string): Release | undefined {
    if (this.#entries.has(key)) return undefined
    this.#entries.set(key, { waiters: [] })
    return this.#releaser(key)
  }

  /**
   * Waits for `key` at most `waitMs` milliseconds, then rejects with
   * {@link SessionLockTimeoutError}.
   */
  acquire(key: string, waitMs: number): Promise<Release> {
    const entry = this.#entries.get(key)
    if (!entry) {
      this.#entries.set(key, { waiters: [] })
      return Promise.resolve(this.#releaser(key))
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer)
          resolve(this.#releaser(key))
        },
        timer: setTimeout(() => {
          const index = entry.waiters.indexOf(waiter)
          if (index !== -1) entry.waiters.splice(index, 1)
          reject(new SessionLockTimeoutError(waitMs / 1000))
        }, waitMs),
      }
      entry.waiters.push(waiter)
    })
  }

  #releaser(key: string): Release {
    let released = false
    return () => {
      if (released) return
      released = true
      const entry = this.#entries.get(key)
      const next = entry?.waiters.shift()
      if (next) next.grant()
      else this.#entries.delete(key)
    }
  }
}
