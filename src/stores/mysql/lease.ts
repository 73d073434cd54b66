import { SessionLockLostError } from '../../core/errors.js'
import type { LeaseChange } from '../../core/store.js'
import type { DatabaseClock } from '../shared/database-clock.js'
import { recordValues } from '../shared/record-values.js'
import { type GiveBackContext, SqlLease } from '../shared/sql-lease.js'
import type { DeadlineRunner } from './client.js'
import { type statements, truthy } from './statements.js'

/** What a lease needs from its store. */
export interface LeaseContext extends GiveBackContext {
  readonly runner: DeadlineRunner
  readonly sql: ReturnType<typeof statements>
  /** Turns a statement's deadline into database time, so that a late lock or renewal does nothing. */
  readonly clock: DatabaseClock
}

/**
 * A held lock on one row: renews itself every third of the lease while held
 * and ends with one fenced statement (save + unlock, delete + unlock, or
 * unlock). Holds no connection in between. Only when the ending statement
 * counts no row does a second, diagnosing statement tell a lost lease from a
 * vanished session.
 */
export class MySQLLease extends SqlLease<LeaseContext> {
  protected async renew(): Promise<boolean> {
    const { runner, sql, clock } = this.context
    const sentAt = Date.now()
    const deadline = clock.deadline(sentAt)
    const renewed = await runner.write(sql.renew, [this.leaseMs, this.key, this.token, deadline])
    if (renewed > 0) return true
    // Lost, or refused because it ran after its deadline: the state says which.
    const [row] = await runner.rows(sql.state, [Date.now(), this.token, deadline, this.key])
    const refused = !truthy(row?.in_time)
    clock.learn(sentAt, Number(row?.ran_at), refused)
    // Refused: nothing was renewed, but the lease may still be ours; the next tick retries.
    return refused || truthy(row?.mine)
  }

  protected async end(change: LeaseChange | undefined): Promise<boolean> {
    const { runner, sql } = this.context
    const key = this.key
    const token = this.token
    const now = Date.now()
    if (!change) {
      await runner.write(sql.unlock, [key, token])
      // A row that only carried the lock goes (unless it became a session meanwhile).
      if (!this.session) await runner.write(sql.drop, [key, token, now])
      return true
    }
    if (change.type === 'delete') {
      if ((await runner.write(sql.remove, [key, token])) > 0) return true
      const [row] = await runner.rows(sql.why, [now, token, key])
      if (truthy(row?.live) && !truthy(row?.mine)) throw new SessionLockLostError()
      return true
    }
    const values = [...recordValues(change.record, change.ttlSeconds, now), key, token, now]
    if (this.session && (await runner.write(sql.save, values)) > 0) return true
    // Our row only carried the lock, or the session ended meanwhile: drop it, never resurrect.
    if ((await runner.write(sql.drop, [key, token, now])) > 0) return false
    const [row] = await runner.rows(sql.why, [now, token, key])
    if (truthy(row?.live) && !truthy(row?.mine)) throw new SessionLockLostError()
    // Still ours and live (a lock-only row that became a session meanwhile): save it.
    if (truthy(row?.live)) return (await runner.write(sql.save, values)) > 0
    return false
  }
}
