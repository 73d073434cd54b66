/**
 * Keeps a store lock alive while its holder works: calls `renew` every
 * `periodMs` until stopped or until `renew` answers that the lock is no longer
 * held. One renewal is in flight at a time; a failed one is retried at the next
 * tick, and the commit's fencing check has the last word if the lease lapses.
 */
export class LeaseRenewal {
  readonly #timer: NodeJS.Timeout
  #renewing = false
  #stopped = false

  /** @param renew resolves true while the lock is still ours */
  constructor(periodMs: number, renew: () => Promise<boolean>) {
    this.#timer = setInterval(() => this.#tick(renew), periodMs)
    // Workers' timers are numbers, without unref.
    this.#timer.unref?.()
  }

  stop(): void {
    this.#stopped = true
    clearInterval(this.#timer)
  }

  #tick(renew: () => Promise<boolean>): void {
    if (this.#renewing || this.#stopped) return
    this.#renewing = true
    renew()
      .then(
        (held) => {
          if (!held) this.stop()
        },
        () => {},
      )
      .finally(() => {
        this.#renewing = false
      })
  }
}
