import type { StoredRecord } from '../../core/store.js'
import { toRecord } from '../shared/record-row.js'
import { type LeaseContext, SQLiteLease } from './lease.js'
import { isBusy } from './runner.js'

/**
 * One attempt at the lock of `key`, in one `BEGIN IMMEDIATE` transaction:
 * read the row and its lease; when the lease is free or lapsed, take it with
 * a new token and the next fence (a missing key gets a lock-only row).
 * Resolves to the lease, or `undefined` while someone else holds the lock,
 * or while another process kept the database busy past `busy_timeout`.
 */
export function tryLock(
  context: LeaseContext,
  key: string,
  token: string,
  leaseMs: number,
): SQLiteLease | undefined {
  const { runner, sql } = context
  let taken: { fence: number; record: StoredRecord | undefined } | undefined
  try {
    taken = runner.immediate(() => {
      const now = Date.now()
      const until = now + leaseMs
      const row = runner.get(sql.state, now, key)
      if (row === undefined) {
        runner.run(sql.create, key, now, now, until, token, until)
        return { fence: 1, record: undefined }
      }
      if (row.lock_token !== null && Number(row.lock_expires_at) > now) return undefined
      const [next] = runner.all(sql.take, token, until, key)
      const record = Number(row.live) === 1 ? toRecord(row) : undefined
      return { fence: Number(next?.lock_fence), record }
    })
  } catch (error) {
    if (isBusy(error)) return undefined
    throw error
  }
  if (taken === undefined) return undefined
  return new SQLiteLease(context, { key, token, fence: taken.fence }, leaseMs, taken.record)
}
