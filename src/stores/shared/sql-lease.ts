import { SessionLockLostError, SessionUsageError } from '../../core/errors.js'
import type { LeaseChange, StoredRecord, StoreLease } from '../../core/store.js'
import { LeaseRenewal } from './lease-renewal.js'

/** What every SQL lease needs from its store, whatever its database. */
export interface GiveBackContext {
  /** Releases a lock whose fate is unknown (its statement failed), in the background. */
  giveBack(key: string, token: string, leaseMs: number): void
}

/**
 * A held lock on one row of a SQL store: renews itself every third of the
 * lease while held and ends once, with `end`. The database-specific
 * statements live in the subclass (`renew`, `end`); what happens around them
 * (renewal timer, single commit, give-back on failure) is the same for all.
 */
export abstract class SqlLease<Context extends GiveBackContext> implements StoreLease {
  readonly record: StoredRecord | undefined
  protected readonly context: Context
  protected readonly key: string
  protected readonly token: string
  protected readonly leaseMs: number
  /** Whether the locked row is a session (not a row that only carries the lock). */
  protected readonly session: boolean
  readonly #renewal: LeaseRenewal
  #ended = false

  constructor(
    context: Context,
    key: string,
    token: string,
    leaseMs: number,
    record: StoredRecord | undefined,
    session: boolean,
  ) {
    this.context = context
    this.key = key
    this.token = token
    this.leaseMs = leaseMs
    this.session = session
    this.record = record
    this.#renewal = new LeaseRenewal(Math.max(10, leaseMs / 3), () => this.renew())
  }

  /** One renewal; resolves false once the lease is no longer ours. */
  protected abstract renew(): Promise<boolean>

  /** The one fenced statement (and its diagnosis) that ends the lease with `change`. */
  protected abstract end(change: LeaseChange | undefined): Promise<boolean>

  async commit(change?: LeaseChange): Promise<boolean> {
    if (this.#ended) throw new SessionUsageError('this store lease was already committed')
    this.#ended = true
    this.#renewal.stop()
    try {
      return await this.end(change)
    } catch (error) {
      // Unlock without the change rather than leave the session locked until the lease ends
      // (a lost lease is not ours to unlock). Should the failed statement still run late,
      // the token check makes the two commute.
      if (!(error instanceof SessionLockLostError))
        this.context.giveBack(this.key, this.token, this.leaseMs)
      throw error
    }
  }
}
