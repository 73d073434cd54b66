import type { StoredRecord } from '../../core/store.js'

/**
 * A record as the 7 column values that PostgreSQL, MySQL and SQLite stores
 * write, the reverse of `toRecord`: data, meta (every other field of the
 * record, so that fields added later are kept), user_id, created, last seen,
 * expires, absolute expiry, in whole milliseconds. The expiry is the earlier of the record's and `ttlSeconds` from
 * now, as the contract asks; the id never reaches the row.
 */
export function recordValues(
  record: StoredRecord,
  ttlSeconds: number,
  now: number,
): [string, string, string | null, number, number, number, number | null] {
  const {
    data,
    userId,
    createdAt,
    lastSeenAt,
    expiresAt,
    absoluteExpiresAt,
    id: _id,
    ...meta
  } = record
  return [
    JSON.stringify(data),
    JSON.stringify(meta),
    userId ?? null,
    Math.round(createdAt),
    Math.round(lastSeenAt),
    Math.round(Math.min(expiresAt, now + ttlSeconds * 1000)),
    absoluteExpiresAt === undefined ? null : Math.round(absoluteExpiresAt),
  ]
}
