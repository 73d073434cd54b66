/**
 * How far the database's clock reads ahead of ours, learned from its answers,
 * so that a statement can carry its caller's deadline in database time.
 *
 * Why: a statement sent to a frozen or unreachable server is not lost; it
 * runs when the server comes back, long after its caller was told it failed.
 * A lock or renewal that runs then would start a fresh lease on a session
 * nobody holds. Given the deadline, the statement sees it is too late and
 * changes nothing.
 *
 * Each answer says when the database ran the statement. `ran - sentAt` is
 * the clock offset plus the time the statement took to get there, so the
 * smallest such figure is an offset that is never too small: a deadline built
 * on it never refuses a statement that arrived in time. Should the clocks
 * drift apart (a clock stepped by NTP, say), a statement is refused although
 * its answer came in time; that answer raises the offset, and the caller
 * retries.
 */
export class DatabaseClock {
  readonly #timeoutMs: number
  /** Milliseconds the database clock reads ahead of ours (negative: behind). */
  #aheadMs = 0

  /** @param timeoutMs how long a caller waits for a statement, in milliseconds */
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
  }

  /** The database time after which a statement sent at `sentAt` (our clock) must do nothing. */
  deadline(sentAt: number): number {
    return sentAt + this.#aheadMs + this.#timeoutMs
  }

  /**
   * Learns from an answer to a statement sent at `sentAt`, which the database
   * ran at `ranAt` (its clock, milliseconds since the epoch).
   *
   * @param refused whether the statement found its deadline passed
   */
  learn(sentAt: number, ranAt: number, refused: boolean): void {
    const seen = ranAt - sentAt
    if (!Number.isFinite(seen)) return
    // An answer in time to a refused statement means the offset was too small.
    if (refused || seen < this.#aheadMs) this.#aheadMs = seen
  }
}
