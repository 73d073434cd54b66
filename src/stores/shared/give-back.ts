/** Pause between attempts to give back a lock whose statement failed, in milliseconds. */
const RETRY_MS = 250

/**
 * Releases a lock in the background (`release`, keyed by its token, so it
 * never frees a lock someone else holds), retrying until the lease would have
 * expired anyway. Used when a lock or commit statement failed without our
 * knowing whether it ran (the database froze, say), so that the session is
 * free as soon as the database is back instead of when the lease ends.
 */
export function giveBack(release: () => Promise<unknown>, leaseMs: number): void {
  const until = Date.now() + leaseMs
  const attempt = (): void => {
    release().catch(() => {
      if (Date.now() + RETRY_MS >= until) return
      setTimeout(attempt, RETRY_MS).unref?.()
    })
  }
  attempt()
}
