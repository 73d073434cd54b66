import { statsSql } from '../shared/stats-sql.js'

const RECORD = 'data, meta, user_id, created_at, last_seen_at, expires_at, absolute_expires_at'

/** A live session row (not a lock-only row, not expired at the `?` that follows). */
const LIVE = '(data IS NOT NULL AND expires_at > ?)'

/**
 * Every statement the store runs, for one table. All take their values as
 * `?` parameters, in the order documented on each; only the validated,
 * quoted table name is interpolated. Times are the host's `Date.now()`,
 * passed in: every process on the host shares that clock.
 */
export function statements(table: string) {
  return {
    /** key, now */
    get: `SELECT ${RECORD} FROM ${table} WHERE session_key = ? AND ${LIVE}`,
    /** key, record ×7 (see shared/record-values.ts). Leaves a lock on the row as it is. */
    set: `INSERT INTO ${table} (session_key, ${RECORD}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (session_key) DO UPDATE SET data = excluded.data, meta = excluded.meta,
    user_id = excluded.user_id, created_at = excluded.created_at,
    last_seen_at = excluded.last_seen_at, expires_at = excluded.expires_at,
    absolute_expires_at = excluded.absolute_expires_at`,
    /** key */
    delete: `DELETE FROM ${table} WHERE session_key = ?`,
    /** lastSeenAt, expiresAt, key, now */
    touch: `UPDATE ${table} SET last_seen_at = ?, expires_at = ? WHERE session_key = ? AND ${LIVE}`,
    /** now */
    stats: statsSql(table, { now: '?', createdAt: 'created_at', expiresAt: 'expires_at' }),

    /** userId, now */
    listByUser: `SELECT session_key, ${RECORD} FROM ${table}
  WHERE user_id = ? AND ${LIVE} ORDER BY created_at`,
    /** userId, exceptKey or null, exceptKey or null, now */
    deleteByUser: `DELETE FROM ${table} WHERE user_id = ? AND (? IS NULL OR session_key <> ?)
  RETURNING session_key, ${LIVE} AS live`,
    /**
     * now, now, batch size. Skips rows whose lease is live (a holder may be
     * about to find the record gone, which it handles). A subquery, as
     * `DELETE … LIMIT` needs a compile option most builds lack.
     */
    sweep: `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table}
  WHERE expires_at <= ? AND (lock_expires_at IS NULL OR lock_expires_at <= ?) LIMIT ?)`,
    /** The row and its lease, read inside a lock or commit transaction. now, key. */
    state: `SELECT ${RECORD}, ${LIVE} AS live, lock_token, lock_fence, lock_expires_at
  FROM ${table} WHERE session_key = ?`,
    /** Takes the lease of an existing row (its state said it is free). token, lease end, key. */
    take: `UPDATE ${table} SET lock_token = ?, lock_fence = lock_fence + 1, lock_expires_at = ?
  WHERE session_key = ? RETURNING lock_fence`,
    /**
     * A missing key gets a lock-only row (data NULL) so that it can be locked
     * too; it expires with the lease, so the sweep removes it if its holder
     * dies. key, now, now, lease end, token, lease end.
     */
    create: `INSERT INTO ${table}
    (session_key, data, meta, created_at, last_seen_at, expires_at, lock_token, lock_fence, lock_expires_at)
  VALUES (?, NULL, '{}', ?, ?, ?, ?, 1, ?)`,
    /** Extends our lease. lease end, key, token, fence. Counts 1 while the lease is ours. */
    renew: `UPDATE ${table} SET lock_expires_at = ?
  WHERE session_key = ? AND lock_token = ? AND lock_fence = ?`,
    /** Saves and unlocks (the commit's transaction checked the lease). record ×7, key. */
    save: `UPDATE ${table} SET data = ?, meta = ?, user_id = ?, created_at = ?, last_seen_at = ?,
    expires_at = ?, absolute_expires_at = ?, lock_token = NULL, lock_expires_at = NULL
  WHERE session_key = ?`,
    /** Unlocks a session row (the commit's transaction checked the lease). key. */
    unlock: `UPDATE ${table} SET lock_token = NULL, lock_expires_at = NULL WHERE session_key = ?`,
  }
}

/** The statements of one table. */
export type Statements = ReturnType<typeof statements>
