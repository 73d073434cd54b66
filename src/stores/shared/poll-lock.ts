import { SessionLockTimeoutError } from '../../core/errors.js'

/** How a store tries its lock: the loop around it is {@link pollLock}'s. */
export interface LockAttempts<Lease> {
  /** How long to wait for the lock at most, in milliseconds. */
  waitMs: number
  /** The first pause between two tries, in milliseconds; it doubles on every busy try. */
  firstPauseMs: number
  /** The largest pause between two tries, in milliseconds. */
  maxPauseMs: number
  /** One try: resolves to the lease when the lock was taken, `undefined` while it is held. */
  attempt(): Promise<Lease | undefined>
  /**
   * Gives back in the background whatever a failed try may have taken: a
   * statement that failed (a timeout, say) may still run once the server
   * answers. Called once, before the failure propagates.
   */
  giveBack(): void
}

/**
 * The lock loop of a store whose lock is a token it polls for: tries until the
 * lock is taken, pausing between busy tries with jittered exponential backoff
 * (so that waiters in different processes spread out), for at most `waitMs`.
 * A try that fails gives back what it may have taken, then rethrows.
 *
 * @throws {SessionLockTimeoutError} when the lock stays held for `waitMs`.
 */
export async function pollLock<Lease>(lock: LockAttempts<Lease>): Promise<Lease> {
  const deadline = Date.now() + lock.waitMs
  for (let tries = 0; ; tries++) {
    let lease: Lease | undefined
    try {
      lease = await lock.attempt()
    } catch (error) {
      lock.giveBack()
      throw error
    }
    if (lease !== undefined) return lease
    const left = deadline - Date.now()
    if (left <= 0) throw new SessionLockTimeoutError(lock.waitMs / 1000)
    const ceiling = Math.min(lock.maxPauseMs, lock.firstPauseMs * 2 ** tries)
    await pause(Math.min(left, ceiling / 2 + Math.random() * (ceiling / 2)))
  }
}

/** A pause that keeps no process alive where timers can be unref'd (Workers' cannot). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref?.()
  })
}
