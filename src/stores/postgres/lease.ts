import { SessionLockLostError, SessionUsageError } from '../../core/errors.js'
import type { LeaseChange, SessionRecord, StoreLease } from '../../core/store.js'
import type { DeadlineRunner, Row } from './client.js'
import { recordValues, type statements } from './statements.js'

/** What a lease needs from its store. */
export interface LeaseContext {
  readonly runner: DeadlineRunner
  readonly sql: ReturnType<typeof statements>
  /** Releases a lock whose fate is unknown (its statement failed), in the background. */
  giveBack(key: string, token: string, leaseMs: number): void
}

/**
 * A held lock on one row: renews itself every third of the lease while held
 * and ends with one fenced statement (save + unlock, delete + unlock, or
 * unlock). Holds no connection in between.
 */
export class PostgresLease implements StoreLease {
  readonly record: SessionRecord | undefined
  readonly #context: LeaseContext
  readonly #key: string
  readonly #token: string
  readonly #leaseMs: number
  readonly #timer: NodeJS.Timeout
  #renewing = false
  #ended = false

  constructor(
    context: LeaseContext,
    key: string,
    token: string,
    leaseMs: number,
    record: SessionRecord | undefined,
  ) {
    this.#context = context
    this.#key = key
    this.#token = token
    this.#leaseMs = leaseMs
    this.record = record
    this.#timer = setInterval(() => this.#renew(), Math.max(10, leaseMs / 3))
    this.#timer.unref()
  }

  async commit(change?: LeaseChange): Promise<boolean> {
    if (this.#ended) throw new SessionUsageError('this store lease was already committed')
    this.#ended = true
    clearInterval(this.#timer)
    const { runner, sql } = this.#context
    const now = Date.now()
    let row: Row | undefined
    try {
      if (!change) {
        await runner.run(sql.release, [this.#key, this.#token])
        return true
      }
      ;[row] =
        change.type === 'delete'
          ? await runner.run(sql.commitDelete, [this.#key, this.#token, now])
          : await runner.run(sql.commitSet, [
              this.#key,
              this.#token,
              ...recordValues(change.record, change.ttlSeconds, now),
              now,
            ])
    } catch (error) {
      // Unlock without the change rather than leave the session locked until the lease ends.
      // Should the failed statement still run late, the token check makes the two commute.
      this.#context.giveBack(this.#key, this.#token, this.#leaseMs)
      throw error
    }
    if (change.type === 'delete') {
      if (row?.deleted !== true && row?.live === true && row.mine !== true)
        throw new SessionLockLostError()
      return true
    }
    if (row?.written === true) return true
    if (row?.live === true && row.mine !== true) throw new SessionLockLostError()
    return false
  }

  /** Extends the lease; stops once the lease is found lost (the commit will then be refused). */
  async #renew(): Promise<void> {
    if (this.#renewing || this.#ended) return
    this.#renewing = true
    try {
      const { runner, sql } = this.#context
      const rows = await runner.run(sql.renew, [this.#key, this.#token, this.#leaseMs])
      if (rows.length === 0) clearInterval(this.#timer)
    } catch {
      // The next tick tries again; if the lease lapses meanwhile, fencing refuses the save.
    } finally {
      this.#renewing = false
    }
  }
}
