import { toRecord } from '../shared/record-row.js'
import { type LeaseContext, MySQLLease } from './lease.js'
import { truthy } from './statements.js'

/**
 * Another process created the row first (a duplicate key), or InnoDB chose
 * this UPDATE or INSERT as the victim of a deadlock between concurrent first
 * lockers of a key with no row (their gap locks cross; it rolled the
 * statement back, so nothing was taken): try again.
 */
function contended(error: unknown): number {
  const cause = (error as { cause?: { errno?: unknown; code?: unknown } } | null)?.cause
  if (cause?.errno === 1062 || cause?.code === 'ER_DUP_ENTRY') return 0
  if (cause?.errno === 1213 || cause?.code === 'ER_LOCK_DEADLOCK') return 0
  throw error
}

/**
 * One attempt at the lock of `key`: an UPDATE that takes a free lease, then
 * a SELECT of the row (MySQL 8 has no `UPDATE … RETURNING`), and, when the
 * key has no row, an INSERT of a lock-only row. Both writes carry the
 * attempt's deadline in database time, so that a late one takes nothing.
 * Resolves to the lease, or `undefined` while someone else holds the lock.
 */
export async function tryLock(
  context: LeaseContext,
  key: string,
  token: string,
  leaseMs: number,
): Promise<MySQLLease | undefined> {
  const { runner, sql, clock } = context
  // Taken after the caller was told it failed: give it back at once.
  const late = (taken: number) => {
    if (taken > 0) context.giveBack(key, token, leaseMs)
  }
  const sentAt = Date.now()
  const deadline = clock.deadline(sentAt)
  let taken = await runner.write(sql.take, [token, leaseMs, key, deadline], late).catch(contended)
  let [row] = await runner.rows(sql.state, [Date.now(), token, deadline, key])
  const refused = !truthy(row?.in_time) && !truthy(row?.mine)
  clock.learn(sentAt, Number(row?.ran_at), refused)
  if (taken === 0 && !truthy(row?.present) && !refused) {
    const values = [key, leaseMs, token, leaseMs, deadline]
    taken = await runner.write(sql.create, values, late).catch(contended)
    if (taken > 0) row = { mine: 1, live: 0, data: null }
  }
  // A refused statement (clocks drifted apart) is retried like a held lock.
  if (!truthy(row?.mine) || row === undefined) return undefined
  const record = truthy(row.live) ? toRecord(row) : undefined
  const session = row.data !== null && row.data !== undefined
  return new MySQLLease(context, key, token, leaseMs, record, session)
}
