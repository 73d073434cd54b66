import { SessionLockLostError, SessionUsageError } from '../../core/errors.js'
import type { LeaseChange, StoredRecord, StoreLease } from '../../core/store.js'
import { LeaseRenewal } from '../shared/lease-renewal.js'
import { recordValues } from '../shared/record-values.js'
import type { SQLiteRunner } from './runner.js'
import type { Statements } from './statements.js'

/** What a lease needs from its store. */
export interface LeaseContext {
  readonly runner: SQLiteRunner
  readonly sql: Statements
  /** Releases a lock whose commit failed (SQLITE_BUSY, say), in the background. */
  giveBack(key: string, token: string, fence: number, leaseMs: number): void
}

/** Who holds the lease of a row, as one transaction sees it. */
export interface Holder {
  readonly key: string
  readonly token: string
  readonly fence: number
}

/**
 * Ends the lease of `holder` in the transaction the caller opened: applies
 * `change` and unlocks, only while the row still carries our token and fence.
 * A live session under another lease means ours lapsed and was taken over:
 * nothing is written, and a change is refused (a bare release is not). A `set` replaces only a live session (a deleted one
 * stays deleted); a row that only carried our lock, or expired, goes.
 *
 * @returns false when a `set` found no session to replace
 * @throws {SessionLockLostError} when the lease was lost to another holder
 */
export function endLease(
  context: LeaseContext,
  holder: Holder,
  change: LeaseChange | undefined,
  now: number,
): boolean {
  const { runner, sql } = context
  const row = runner.get(sql.state, now, holder.key)
  const live = row !== undefined && Number(row.live) === 1
  const mine = row?.lock_token === holder.token && Number(row?.lock_fence) === holder.fence
  if (!mine) {
    if (live && change !== undefined) throw new SessionLockLostError()
    return change?.type !== 'set'
  }
  if (change?.type === 'set' && live) {
    runner.run(sql.save, ...recordValues(change.record, change.ttlSeconds, now), holder.key)
    return true
  }
  if (change === undefined && live) {
    runner.run(sql.unlock, holder.key)
    return true
  }
  runner.run(sql.delete, holder.key)
  return change?.type !== 'set'
}

/**
 * A held lock on one row: renews itself every third of the lease while held
 * and ends with one transaction that checks the lease and applies the change.
 */
export class SQLiteLease implements StoreLease {
  readonly record: StoredRecord | undefined
  readonly #context: LeaseContext
  readonly #holder: Holder
  readonly #leaseMs: number
  readonly #renewal: LeaseRenewal
  #ended = false

  constructor(
    context: LeaseContext,
    holder: Holder,
    leaseMs: number,
    record: StoredRecord | undefined,
  ) {
    this.#context = context
    this.#holder = holder
    this.#leaseMs = leaseMs
    this.record = record
    this.#renewal = new LeaseRenewal(Math.max(10, leaseMs / 3), async () => this.#renew())
  }

  /** Resolves false once the lease is no longer ours. */
  #renew(): boolean {
    const { runner, sql } = this.#context
    const { key, token, fence } = this.#holder
    return runner.run(sql.renew, Date.now() + this.#leaseMs, key, token, fence) > 0
  }

  async commit(change?: LeaseChange): Promise<boolean> {
    if (this.#ended) throw new SessionUsageError('this store lease was already committed')
    this.#ended = true
    this.#renewal.stop()
    const { runner } = this.#context
    try {
      return runner.immediate(() => endLease(this.#context, this.#holder, change, Date.now()))
    } catch (error) {
      // Unlock without the change rather than leave the session locked until the lease
      // ends (a lost lease is not ours to unlock).
      if (!(error instanceof SessionLockLostError)) {
        const { key, token, fence } = this.#holder
        this.#context.giveBack(key, token, fence, this.#leaseMs)
      }
      throw error
    }
  }
}
