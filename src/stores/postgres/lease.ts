import { SessionLockLostError } from '../../core/errors.js'
import type { LeaseChange } from '../../core/store.js'
import type { DatabaseClock } from '../shared/database-clock.js'
import { recordValues } from '../shared/record-values.js'
import { type GiveBackContext, SqlLease } from '../shared/sql-lease.js'
import type { DeadlineRunner, Row } from './client.js'
import type { statements } from './statements.js'

/** What a lease needs from its store. */
export interface LeaseContext extends GiveBackContext {
  readonly runner: DeadlineRunner
  readonly sql: ReturnType<typeof statements>
  /** Turns a statement's deadline into database time, so that a late lock or renewal does nothing. */
  readonly clock: DatabaseClock
}

/**
 * Runs a lock or renewal statement with its deadline in database time as the
 * last parameter, and learns the clock offset from the answer. `refused`: the
 * statement ran after its deadline and changed nothing.
 */
export async function runInTime(
  context: LeaseContext,
  text: string,
  values: unknown[],
  onLate?: (rows: Row[]) => void,
): Promise<{ row: Row | undefined; refused: boolean }> {
  const sentAt = Date.now()
  const [row] = await context.runner.run(text, [...values, context.clock.deadline(sentAt)], onLate)
  const refused = row?.in_time === false
  context.clock.learn(sentAt, Number(row?.ran_at), refused)
  return { row, refused }
}

/**
 * A held lock on one row: renews itself every third of the lease while held
 * and ends with one fenced statement (save + unlock, delete + unlock, or
 * unlock). Holds no connection in between. The ending statement is a plain
 * UPDATE or DELETE; only when it finds nothing to change does a second,
 * diagnosing statement tell a lost lease from a vanished session.
 */
export class PostgresLease extends SqlLease<LeaseContext> {
  protected async renew(): Promise<boolean> {
    const { row, refused } = await runInTime(this.context, this.context.sql.renew, [
      this.key,
      this.token,
      this.leaseMs,
    ])
    // Refused: nothing was renewed, but the lease may still be ours; the next tick retries.
    return refused || row?.held === true
  }

  protected async end(change: LeaseChange | undefined): Promise<boolean> {
    const { runner, sql } = this.context
    const key = this.key
    const token = this.token
    const now = Date.now()
    if (!change) {
      await runner.run(this.session ? sql.unlock : sql.release, [key, token])
      return true
    }
    if (change.type === 'delete') {
      if ((await runner.run(sql.remove, [key, token])).length > 0) return true
      const [row] = await runner.run(sql.commitDelete, [key, token, now])
      if (row?.deleted !== true && row?.live === true && row.mine !== true)
        throw new SessionLockLostError()
      return true
    }
    const values = [key, token, ...recordValues(change.record, change.ttlSeconds, now), now]
    if (this.session && (await runner.run(sql.save, values)).length > 0) return true
    const [row] = await runner.run(sql.commitSet, values)
    if (row?.written === true) return true
    if (row?.live === true && row.mine !== true) throw new SessionLockLostError()
    return false
  }
}
