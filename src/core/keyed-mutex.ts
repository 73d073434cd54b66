import { SessionLockTimeoutError } from './errors.js'

interface Waiter {
  grant: () => void
  timer: NodeJS.Timeout
}

/** Releases a lock taken by {@link KeyedMutex.acquire}; calling it twice is harmless. */
export type Release = () => void

/**
 * An in-process FIFO mutex per key. An entry exists only while its key is held
 * or awaited, so memory does not grow with the number of keys ever locked.
 */
export class KeyedMutex {
  /** Held keys and their queues; `null` while nobody waits (no queue allocated per lock). */
  readonly #entries = new Map<string, Waiter[] | null>()

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
    this.#entries.set(key, null)
    return this.#releaser(key)
  }

  /**
   * Waits for `key` at most `waitMs` milliseconds, then rejects with
   * {@link SessionLockTimeoutError}.
   */
  acquire(key: string, waitMs: number): Promise<Release> {
    if (!this.#entries.has(key)) {
      this.#entries.set(key, null)
      return Promise.resolve(this.#releaser(key))
    }
    let queue = this.#entries.get(key)
    if (!queue) {
      queue = []
      this.#entries.set(key, queue)
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer)
          resolve(this.#releaser(key))
        },
        timer: setTimeout(() => {
          const index = queue.indexOf(waiter)
          if (index !== -1) queue.splice(index, 1)
          reject(new SessionLockTimeoutError(waitMs / 1000))
        }, waitMs),
      }
      queue.push(waiter)
    })
  }

  #releaser(key: string): Release {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.#entries.get(key)?.shift()
      if (next) next.grant()
      else this.#entries.delete(key)
    }
  }
}
