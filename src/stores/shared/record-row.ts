import { copyControlFields } from '../../core/record.js'
import type { StoredRecord } from '../../core/store.js'

const time = (value: unknown) => Math.round(Number(value))

/**
 * A row of a SQL store selected with the record columns (`data` and `meta` as
 * JSON text, times in milliseconds, `user_id`, `absolute_expires_at`), back to
 * a record.
 */
export function toRecord(row: Record<string, unknown>): StoredRecord {
  const meta = JSON.parse(String(row.meta ?? '{}')) as Partial<StoredRecord>
  // Not `{ ...meta, data, … }`: see withId. meta holds no createdAt, userId or
  // absoluteExpiresAt (the stores write those to their columns).
  const record = copyControlFields(meta, {
    data: JSON.parse(String(row.data)) as StoredRecord['data'],
    createdAt: time(row.created_at),
    lastSeenAt: time(row.last_seen_at),
    expiresAt: time(row.expires_at),
  } as StoredRecord)
  if (row.user_id !== null && row.user_id !== undefined) record.userId = String(row.user_id)
  if (row.absolute_expires_at !== null && row.absolute_expires_at !== undefined) {
    record.absoluteExpiresAt = time(row.absolute_expires_at)
  }
  return record
}
