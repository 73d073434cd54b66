/**
 * The keys of sessions this process rotated away (login, `regenerate()`) or
 * destroyed (logout) in the last `windowMs`, at most `capacity` of them.
 *
 * A request that read a session before such a change and finishes after it
 * must not send that session's cookie: it would replace the newer one. A
 * server store shows the change (the record is gone); the cookie store keeps
 * no server state, and a request that first reads under the lock cannot tell
 * a session rotated a moment ago from one that expired long ago. This record
 * answers both within one process.
 */
export class RetiredIds {
  /** Key → when it is forgotten; in insertion order, so the oldest come first. */
  readonly #until = new Map<string, number>()
  readonly #windowMs: number
  readonly #capacity: number

  constructor(windowMs: number, capacity = 10_000) {
    this.#windowMs = windowMs
    this.#capacity = capacity
  }

  add(key: string, now = Date.now()): void {
    this.#prune(now)
    this.#until.delete(key)
    this.#until.set(key, now + this.#windowMs)
    if (this.#until.size > this.#capacity) {
      const oldest = this.#until.keys().next().value as string
      this.#until.delete(oldest)
    }
  }

  has(key: string, now = Date.now()): boolean {
    const until = this.#until.get(key)
    return until !== undefined && until > now
  }

  #prune(now: number): void {
    for (const [key, until] of this.#until) {
      if (until > now) return
      this.#until.delete(key)
    }
  }
}
