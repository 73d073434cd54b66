import { SessionLockLostError, SessionUsageError } from '../../core/errors.js'
import type { LeaseChange, SessionRecord, StoreLease } from '../../core/store.js'
import type { DatabaseClock } from '../shared/database-clock.js'
import { LeaseRenewal } from '../shared/lease-renewal.js'
import type { DeadlineRunner } from './client.js'
import { recordValues, type statements, truthy } from './statements.js'

/** What a lease needs from its store. */
export interface LeaseContext {
  readonly runner: DeadlineRunner
  readonly sql: ReturnType<typeof statements>
  /** Turns a statement's deadline into database time, so that a late lock or renewal does nothing. */
  readonly clock: DatabaseClock
  /** Releases a lock whose fate is unknown (its statement failed), in the background. */
  giveBack(key: string, token: string, leaseMs: number): void
}

/**
 * A held lock on one row: renews itself every third of the lease while held
 * and ends with one fenced statement (save + unlock, delete + unlock, or
 * unlock). Holds no connection in between. Only when the ending statement
 * counts no row does a second, diagnosing statement tell a lost lease from a
 * vanished session.
 */
export class MySQLLease implements StoreLease {
  readonly record: SessionRecord | undefined
  readonly #context: LeaseContext
  readonly #key: string
  readonly #token: string
  readonly #leaseMs: number
  /** Whether the locked row is a session (not a row that only carries the lock). */
  readonly #session: boolean
  readonly #renewal: LeaseRenewal
  #ended = false

  constructor(
    context: LeaseContext,
    key: string,
    token: string,
    leaseMs: number,
    record: SessionRecord | undefined,
    session: boolean,
  ) {
    this.#context = context
    this.#key = key
    this.#token = token
    this.#leaseMs = leaseMs
    this.#session = session
    this.record = record
    this.#renewal = new LeaseRenewal(Math.max(10, leaseMs / 3), () => this.#renew())
  }

  /** Resolves false once the lease is no longer ours. */
  async #renew(): Promise<boolean> {
    const { runner, sql, clock } = this.#context
    const sentAt = Date.now()
    const deadline = clock.deadline(sentAt)
    const renewed = await runner.write(sql.renew, [this.#leaseMs, this.#key, this.#token, deadline])
    if (renewed > 0) return true
    // Lost, or refused because it ran after its deadline: the state says which.
    const [row] = await runner.rows(sql.state, [Date.now(), this.#token, deadline, this.#key])
    const refused = !truthy(row?.in_time)
    clock.learn(sentAt, Number(row?.ran_at), refused)
    // Refused: nothing was renewed, but the lease may still be ours; the next tick retries.
    return refused || truthy(row?.mine)
  }

  async commit(change?: LeaseChange): Promise<boolean> {
    if (this.#ended) throw new SessionUsageError('this store lease was already committed')
    this.#ended = true
    this.#renewal.stop()
    try {
      return await this.#end(change)
    } catch (error) {
      // Unlock without the change rather than leave the session locked until the lease ends
      // (a lost lease is not ours to unlock). Should the failed statement still run late,
      // the token check makes the two commute.
      if (!(error instanceof SessionLockLostError))
        this.#context.giveBack(this.#key, this.#token, this.#leaseMs)
      throw error
    }
  }

  async #end(change: LeaseChange | undefined): Promise<boolean> {
    const { runner, sql } = this.#context
    const key = this.#key
    const token = this.#token
    const now = Date.now()
    if (!change) {
      await runner.write(sql.unlock, [key, token])
      // A row that only carried the lock goes (unless it became a session meanwhile).
      if (!this.#session) await runner.write(sql.drop, [key, token, now])
      return true
    }
    if (change.type === 'delete') {
      if ((await runner.write(sql.remove, [key, token])) > 0) return true
      const [row] = await runner.rows(sql.why, [now, token, key])
      if (truthy(row?.live) && !truthy(row?.mine)) throw new SessionLockLostError()
      return true
    }
    const values = [...recordValues(change.record, change.ttlSeconds, now), key, token, now]
    if (this.#session && (await runner.write(sql.save, values)) > 0) return true
    // Our row only carried the lock, or the session ended meanwhile: drop it, never resurrect.
    if ((await runner.write(sql.drop, [key, token, now])) > 0) return false
    const [row] = await runner.rows(sql.why, [now, token, key])
    if (truthy(row?.live) && !truthy(row?.mine)) throw new SessionLockLostError()
    // Still ours and live (a lock-only row that became a session meanwhile): save it.
    if (truthy(row?.live)) return (await runner.write(sql.save, values)) > 0
    return false
  }
}
