import { SessionLockTimeoutError } from './errors.js'

/** One waiter, linked in its key's queue so a timeout unlinks it in constant time. */
interface Waiter {
  grant: () => void
  timer: NodeJS.Timeout | undefined
  previous: Waiter | undefined
  next: Waiter | undefined
}

/** The waiters of one key, oldest first. */
interface Queue {
  head: Waiter | undefined
  tail: Waiter | undefined
  length: number
}

/** Releases a lock taken by {@link KeyedMutex.acquire}; calling it twice is harmless. */
export type Release = () => void

/**
 * An in-process FIFO mutex per key. An entry exists only while its key is held
 * or awaited, so memory does not grow with the number of keys ever locked.
 */
export class KeyedMutex {
  /** Held keys and their queues; `null` while nobody waits (no queue allocated per lock). */
  readonly #entries = new Map<string, Queue | null>()

  /** Number of keys currently held or awaited. */
  get size(): number {
    return this.#entries.size
  }

  /** Whether `key` is held by someone. */
  isLocked(key: string): boolean {
    return this.#entries.has(key)
  }

  /** How many wait for `key` (its holder not counted). */
  waiting(key: string): number {
    return this.#entries.get(key)?.length ?? 0
  }

  /** Takes `key` at once when nobody holds it; undefined otherwise. */
  tryAcquire(key: string): Release | undefined {
    if (this.#entries.has(key)) return undefined
    this.#entries.set(key, null)
    return this.#releaser(key)
  }

  /**
   * Waits for `key` at most `waitMs` milliseconds, then rejects with
   * {@link SessionLockTimeoutError}. A waiter that times out leaves its queue
   * in constant time, so thousands of waiters timing out together are each
   * rejected at their deadline rather than after the work of those before them.
   */
  acquire(key: string, waitMs: number): Promise<Release> {
    if (!this.#entries.has(key)) {
      this.#entries.set(key, null)
      return Promise.resolve(this.#releaser(key))
    }
    let queue = this.#entries.get(key)
    if (!queue) {
      queue = { head: undefined, tail: undefined, length: 0 }
      this.#entries.set(key, queue)
    }
    const waiting = queue
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer)
          resolve(this.#releaser(key))
        },
        timer: undefined,
        previous: waiting.tail,
        next: undefined,
      }
      waiter.timer = setTimeout(() => {
        unlink(waiting, waiter)
        reject(new SessionLockTimeoutError(waitMs / 1000))
      }, waitMs)
      if (waiting.tail) waiting.tail.next = waiter
      else waiting.head = waiter
      waiting.tail = waiter
      waiting.length++
    })
  }

  #releaser(key: string): Release {
    let released = false
    return () => {
      if (released) return
      released = true
      const queue = this.#entries.get(key)
      const next = queue?.head
      if (!next) {
        this.#entries.delete(key)
        return
      }
      unlink(queue, next)
      next.grant()
    }
  }
}

function unlink(queue: Queue, waiter: Waiter): void {
  queue.length--
  if (waiter.previous) waiter.previous.next = waiter.next
  else queue.head = waiter.next
  if (waiter.next) waiter.next.previous = waiter.previous
  else queue.tail = waiter.previous
  waiter.previous = undefined
  waiter.next = undefined
}
