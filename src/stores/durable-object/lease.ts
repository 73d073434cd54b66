import { SessionLockLostError, SessionUsageError } from '../../core/errors.js'
import type { LeaseChange, StoredRecord, StoreLease } from '../../core/store.js'
import { LeaseRenewal } from '../shared/lease-renewal.js'
import type { CommitOutcome } from './protocol.js'

/** What a lease needs from its store, for its session and token. */
export interface LeaseHost {
  /** True while the token still holds the lock. */
  renew(): Promise<boolean>
  /** The change and the release in the session's object (the record's user indexed first). */
  commit(change: LeaseChange | undefined): Promise<CommitOutcome>
  /** Forgets a lease that ended, so that `close()` does not renew it. */
  ended(lease: DurableObjectLease): void
}

/**
 * A held lock in a session's Durable Object: renewed every third of its lease
 * while held, released by the commit, which the object applies only while the
 * token still holds the lock.
 */
export class DurableObjectLease implements StoreLease {
  readonly record: StoredRecord | undefined
  readonly #host: LeaseHost
  readonly #renewal: LeaseRenewal
  #committed = false

  constructor(host: LeaseHost, leaseMs: number, record: StoredRecord | undefined) {
    this.#host = host
    this.record = record
    this.#renewal = new LeaseRenewal(Math.max(1, Math.floor(leaseMs / 3)), () => host.renew())
  }

  async commit(change?: LeaseChange): Promise<boolean> {
    if (this.#committed) throw new SessionUsageError('this lock was already released')
    this.#committed = true
    this.stopRenewal()
    this.#host.ended(this)
    const outcome = await this.#host.commit(change)
    if (outcome === 'lost') {
      // Without a change there is nothing to protect: the lock is gone either way.
      if (change) throw new SessionLockLostError()
      return true
    }
    return outcome === 'written'
  }

  /** Stops renewing; the lock then ends with its lease unless committed first. */
  stopRenewal(): void {
    this.#renewal.stop()
  }
}
