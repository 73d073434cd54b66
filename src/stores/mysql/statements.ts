import { statsSql } from '../shared/stats-sql.js'

/**
 * The database clock in milliseconds since the epoch, whatever the session
 * time zone (`UNIX_TIMESTAMP(NOW(3))` would depend on it). Constant within a
 * statement, on MySQL and MariaDB alike.
 */
export const NOW_MS = `(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(3)) DIV 1000)`

const RECORD = 'data, meta, user_id, created_at, last_seen_at, expires_at, absolute_expires_at'

/** A live session row (not a lock-only row, not expired at the `?` that follows). */
const LIVE = '(data IS NOT NULL AND expires_at > ?)'

/**
 * Every statement the store runs, for one table. All take their values as
 * `?` parameters, in the order documented on each; only the validated, quoted
 * table name is interpolated. Without `RETURNING` (MySQL 8 has none) or
 * data-changing CTEs, each write is a single fenced statement judged by its
 * row count, and a diagnosing `SELECT` runs only when that count is 0.
 */
export function statements(table: string) {
  return {
    /** key, now */
    get: `SELECT ${RECORD} FROM ${table} WHERE session_key = ? AND ${LIVE}`,

    /**
     * key, record ×7, the same record ×7 again (see shared/record-values.ts). The update
     * takes its values as parameters of its own: `VALUES(col)` warns on MySQL
     * 8.0.20+, and the row alias that replaces it (`AS new`) is not MariaDB's.
     */
    set: `INSERT INTO ${table} (session_key, ${RECORD}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON DUPLICATE KEY UPDATE data = ?, meta = ?, user_id = ?, created_at = ?, last_seen_at = ?,
    expires_at = ?, absolute_expires_at = ?`,

    /** key */
    delete: `DELETE FROM ${table} WHERE session_key = ?`,

    /** lastSeenAt, expiresAt, key, now */
    touch: `UPDATE ${table} SET last_seen_at = ?, expires_at = ? WHERE session_key = ? AND ${LIVE}`,

    /** key, now: whether a live session exists (after a touch that counted no row). */
    exists: `SELECT 1 AS live FROM ${table} WHERE session_key = ? AND ${LIVE}`,

    /** now */
    stats: statsSql(table, { now: '?', createdAt: 'created_at', expiresAt: 'expires_at' }),

    /** userId, now */
    listByUser: `SELECT session_key, ${RECORD} FROM ${table}
  WHERE user_id = ? AND ${LIVE} ORDER BY created_at`,

    /** now, userId, exceptKey or null */
    findByUser: `SELECT session_key, ${LIVE} AS live FROM ${table}
  WHERE user_id = ? AND (? IS NULL OR session_key <> ?)`,

    /** userId, then the keys (the placeholders are made per call) */
    deleteByUser: (count: number) =>
      `DELETE FROM ${table} WHERE user_id = ? AND session_key IN (${Array(count).fill('?').join(', ')})`,

    /**
     * now, batch size. Skips rows whose lock is still held (a holder may be
     * about to find the record gone, which it handles).
     */
    sweep: `DELETE FROM ${table}
  WHERE expires_at <= ? AND (lock_expires_at IS NULL OR lock_expires_at <= ${NOW_MS}) LIMIT ?`,

    /**
     * Takes the lock of an existing row if it is free and the deadline
     * (database time, see DatabaseClock) has not passed. token, lease ms, key,
     * deadline. A failed attempt locks nothing but the row it reads.
     */
    take: `UPDATE ${table} SET lock_token = ?, lock_expires_at = ${NOW_MS} + ?
  WHERE session_key = ? AND (lock_token IS NULL OR lock_expires_at <= ${NOW_MS})
    AND ${NOW_MS} < ?`,

    /**
     * A missing key gets a lock-only row (data NULL) so that it can be locked
     * too; its expiry is the lease's, so the sweep removes it if its holder
     * dies. key, lease ms, token, lease ms, deadline. Counts 1 when created; fails with
     * ER_DUP_ENTRY when the row exists. (Not `ON DUPLICATE KEY UPDATE`, whose no-op
     * update counts 1 too under FOUND_ROWS, nor `INSERT IGNORE`, which would also
     * silence a truncated key.)
     */
    create: `INSERT INTO ${table}
    (session_key, data, meta, created_at, last_seen_at, expires_at, lock_token, lock_expires_at)
  SELECT ?, NULL, '{}', ${NOW_MS}, ${NOW_MS}, ${NOW_MS} + ?, ?, ${NOW_MS} + ? FROM DUAL
  WHERE ${NOW_MS} < ?`,

    /**
     * The state of a key after a lock attempt, always one row: the record,
     * `mine` (the lock is ours), `present` (the row exists), `ran_at` and
     * `in_time` (the database clock against the deadline). now, token,
     * deadline, key.
     */
    state: `SELECT ${RECORD}, ${LIVE} AS live, lock_token = ? AS mine,
    session_key IS NOT NULL AS present, ${NOW_MS} AS ran_at, ${NOW_MS} < ? AS in_time
  FROM (SELECT 1 AS one) AS clock LEFT JOIN ${table} ON session_key = ?`,

    /** lease ms, key, token, deadline. Counts 1 while the lease is ours. */
    renew: `UPDATE ${table} SET lock_expires_at = ${NOW_MS} + ?
  WHERE session_key = ? AND lock_token = ? AND ${NOW_MS} < ?`,

    /** key, token. Unlocks a session row. */
    unlock: `UPDATE ${table} SET lock_token = NULL, lock_expires_at = NULL
  WHERE session_key = ? AND lock_token = ? AND data IS NOT NULL`,

    /** key, token. Drops our row if it only carried the lock, or is no longer live. now. */
    drop: `DELETE FROM ${table} WHERE session_key = ? AND lock_token = ? AND NOT ${LIVE}`,

    /**
     * Save and unlock in one UPDATE, fenced by the token: writes only while
     * the lease is ours and the session still live. record ×7 (see
     * recordValues), key, token, now.
     */
    save: `UPDATE ${table} SET data = ?, meta = ?, user_id = ?, created_at = ?, last_seen_at = ?,
    expires_at = ?, absolute_expires_at = ?, lock_token = NULL, lock_expires_at = NULL
  WHERE session_key = ? AND lock_token = ? AND ${LIVE}`,

    /** Delete and unlock, fenced by the token. key, token. */
    remove: `DELETE FROM ${table} WHERE session_key = ? AND lock_token = ?`,

    /** Why a fenced write found nothing: `mine`, `live`. now, token, key. */
    why: `SELECT ${LIVE} AS live, lock_token = ? AS mine FROM ${table} WHERE session_key = ?`,
  }
}

/** A SQL boolean as mysql2 returns it: 1 / 0 / null, or a string under `bigNumberStrings`. */
export const truthy = (value: unknown): boolean =>
  value !== null && value !== undefined && Number(value) !== 0
