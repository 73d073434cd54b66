import { statsSql } from '../shared/stats-sql.js'

/** Milliseconds since the epoch (a JS number) to `timestamptz`. */
const ts = (param: string) => `to_timestamp(${param}::float8 / 1000)`
/** `timestamptz` to milliseconds since the epoch, as a float8 that `pg` returns as a number. */
const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`
/** A duration in milliseconds (a JS number) to an interval. */
const interval = (param: string) => `(${param}::float8 * interval '1 millisecond')`

/**
 * The record columns, selected as text and numbers so that the store does not
 * depend on the type parsers the application configured on its `pg`.
 */
const RECORD = `data::text AS data, meta::text AS meta, user_id,
  ${ms('created_at')} AS created_at, ${ms('last_seen_at')} AS last_seen_at,
  ${ms('expires_at')} AS expires_at, ${ms('absolute_expires_at')} AS absolute_expires_at`

/** A live session row (not a lock-only row, not expired at `now`). */
const live = (now: string) => `(data IS NOT NULL AND expires_at > ${ts(now)})`

/**
 * Every statement the store runs, for one table. All take their values as
 * parameters; only the validated, quoted table name is interpolated.
 */
export function statements(table: string) {
  return {
    /** $1 key, $2 now */
    get: `SELECT ${RECORD} FROM ${table} WHERE key = $1 AND ${live('$2')}`,

    /** $1 key, $2–$8 record (see shared/record-values.ts) */
    set: `INSERT INTO ${table}
  (key, data, meta, user_id, created_at, last_seen_at, expires_at, absolute_expires_at)
  VALUES ($1, $2::jsonb, $3::jsonb, $4, ${ts('$5')}, ${ts('$6')}, ${ts('$7')}, ${ts('$8')})
  ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, meta = EXCLUDED.meta,
    user_id = EXCLUDED.user_id, created_at = EXCLUDED.created_at,
    last_seen_at = EXCLUDED.last_seen_at, expires_at = EXCLUDED.expires_at,
    absolute_expires_at = EXCLUDED.absolute_expires_at`,

    /** $1 key */
    delete: `DELETE FROM ${table} WHERE key = $1`,

    /** $1 key, $2 lastSeenAt, $3 expiresAt, $4 now */
    touch: `UPDATE ${table} SET last_seen_at = ${ts('$2')}, expires_at = ${ts('$3')}
  WHERE key = $1 AND ${live('$4')} RETURNING key`,

    /** $1 now */
    stats: statsSql(table, {
      now: '$1::float8',
      createdAt: ms('created_at'),
      expiresAt: ms('expires_at'),
    }),

    /** $1 userId, $2 now */
    listByUser: `SELECT key, ${RECORD} FROM ${table}
  WHERE user_id = $1 AND ${live('$2')} ORDER BY created_at`,

    /** $1 userId, $2 exceptKey or null, $3 now */
    deleteByUser: `DELETE FROM ${table} WHERE user_id = $1 AND key IS DISTINCT FROM $2
  RETURNING key, ${live('$3')} AS live`,

    /**
     * $1 now, $2 batch size. Skips rows whose lock is still held (a holder
     * may be about to find the record gone, which it handles) and rows
     * another sweeper is deleting.
     */
    sweep: `WITH gone AS (
    DELETE FROM ${table} WHERE key IN (
      SELECT key FROM ${table}
      WHERE expires_at <= ${ts('$1')} AND (lock_expires_at IS NULL OR lock_expires_at <= now())
      LIMIT $2 FOR UPDATE SKIP LOCKED)
    RETURNING 1)
  SELECT count(*)::int AS swept FROM gone`,

    /**
     * Lock and load in one statement. $1 key, $2 token, $3 lease ms, $4 now,
     * $5 deadline (database time, see DatabaseClock).
     * A missing key gets a lock-only row (data NULL) so that it can be locked
     * too; its expiry is the lease's, so the sweep removes it if its holder dies.
     * Lease times use the database clock: it is the one clock every process
     * competing for the lock shares. Always one row: `locked` when the lock is
     * ours, else `in_time` false when the deadline had passed (nothing taken),
     * else the lock is held. A failed attempt only reads (an UPDATE whose WHERE
     * fails locks nothing, unlike INSERT … ON CONFLICT DO UPDATE), so waiting
     * costs no writes.
     */
    lock: `WITH clock AS (SELECT ${ms('now()')} AS ran_at, now() < ${ts('$5')} AS in_time),
  taken AS (
    UPDATE ${table} SET lock_token = $2::uuid, lock_expires_at = now() + ${interval('$3')}
    WHERE key = $1 AND (lock_token IS NULL OR lock_expires_at <= now())
      AND (SELECT in_time FROM clock)
    RETURNING ${RECORD}, ${live('$4')} AS live),
  created AS (
    INSERT INTO ${table}
      (key, data, created_at, last_seen_at, expires_at, lock_token, lock_expires_at)
    SELECT $1, NULL, now(), now(), now() + ${interval('$3')}, $2::uuid, now() + ${interval('$3')}
    WHERE (SELECT in_time FROM clock) AND NOT EXISTS (SELECT 1 FROM ${table} WHERE key = $1)
    ON CONFLICT (key) DO NOTHING
    RETURNING ${RECORD}, false AS live),
  got AS (SELECT *, true AS locked FROM taken UNION ALL SELECT *, true FROM created)
  SELECT got.*, clock.ran_at, clock.in_time FROM clock LEFT JOIN got ON true`,

    /**
     * $1 key, $2 token, $3 lease ms, $4 deadline (database time). One row:
     * `held` while the lease is still ours, `in_time` false when the deadline
     * had passed (nothing renewed).
     */
    renew: `WITH clock AS (SELECT ${ms('now()')} AS ran_at, now() < ${ts('$4')} AS in_time),
  renewed AS (
    UPDATE ${table} SET lock_expires_at = now() + ${interval('$3')}
    WHERE key = $1 AND lock_token = $2::uuid AND (SELECT in_time FROM clock) RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM renewed) AS held, ran_at, in_time FROM clock`,

    /** $1 key, $2 token. Unlocks a session row (the usual case: one plain UPDATE). */
    unlock: `UPDATE ${table} SET lock_token = NULL, lock_expires_at = NULL
  WHERE key = $1 AND lock_token = $2::uuid AND data IS NOT NULL`,

    /**
     * Save and unlock, the usual case: one plain UPDATE, fenced by the token.
     * No row back means something unusual happened; `commitSet` then tells what.
     * $1 key, $2 token, $3–$9 record (see shared/record-values.ts), $10 now.
     */
    save: `UPDATE ${table} SET data = $3::jsonb, meta = $4::jsonb, user_id = $5,
    created_at = ${ts('$6')}, last_seen_at = ${ts('$7')}, expires_at = ${ts('$8')},
    absolute_expires_at = ${ts('$9')}, lock_token = NULL, lock_expires_at = NULL
  WHERE key = $1 AND lock_token = $2::uuid AND ${live('$10')} RETURNING 1 AS written`,

    /** Delete and unlock, the usual case. $1 key, $2 token. */
    remove: `DELETE FROM ${table} WHERE key = $1 AND lock_token = $2::uuid RETURNING 1 AS deleted`,

    /** $1 key, $2 token. Unlocks, dropping the row if it only carried the lock. */
    release: `WITH kept AS (
    UPDATE ${table} SET lock_token = NULL, lock_expires_at = NULL
    WHERE key = $1 AND lock_token = $2::uuid AND data IS NOT NULL RETURNING 1),
  dropped AS (
    DELETE FROM ${table} WHERE key = $1 AND lock_token = $2::uuid AND data IS NULL RETURNING 1)
  SELECT 1 AS released`,

    /**
     * Save and unlock in one statement, fenced by the token, saying why when
     * it cannot: writes only when the lease is still ours and the session
     * still live, and drops our row if it only carried the lock. $1 key,
     * $2 token, $3–$9 record (see shared/record-values.ts), $10 now.
     */
    commitSet: `WITH before AS (
    SELECT lock_token = $2::uuid AS mine, ${live('$10')} AS live FROM ${table} WHERE key = $1),
  written AS (
    UPDATE ${table} SET data = $3::jsonb, meta = $4::jsonb, user_id = $5,
      created_at = ${ts('$6')}, last_seen_at = ${ts('$7')}, expires_at = ${ts('$8')},
      absolute_expires_at = ${ts('$9')}, lock_token = NULL, lock_expires_at = NULL
    WHERE key = $1 AND lock_token = $2::uuid AND ${live('$10')} RETURNING 1),
  dropped AS (
    DELETE FROM ${table} WHERE key = $1 AND lock_token = $2::uuid AND NOT ${live('$10')}
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM written) AS written,
    (SELECT mine FROM before) AS mine, (SELECT live FROM before) AS live`,

    /** Delete and unlock, fenced by the token, saying why when it cannot. $1 key, $2 token, $3 now. */
    commitDelete: `WITH before AS (
    SELECT lock_token = $2::uuid AS mine, ${live('$3')} AS live FROM ${table} WHERE key = $1),
  gone AS (DELETE FROM ${table} WHERE key = $1 AND lock_token = $2::uuid RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM gone) AS deleted,
    (SELECT mine FROM before) AS mine, (SELECT live FROM before) AS live`,
  }
}
