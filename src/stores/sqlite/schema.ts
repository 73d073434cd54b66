import { SessionConfigError } from '../../core/errors.js'

/**
 * Plain identifiers only, as the other SQL stores take them: quoted anyway,
 * but readable and out of reach of injection. SQLite reserves `sqlite_…`.
 */
const IDENTIFIER = /^(?!sqlite_)[A-Za-z_][A-Za-z0-9_]{0,47}$/i

/** A validated, double-quoted table name and the index names derived from it. */
export interface TableNames {
  readonly table: string
  /** `"table"` */
  readonly quoted: string
  readonly userIndex: string
  readonly expiryIndex: string
}

/** Validates `table` and quotes it; throws `SessionConfigError` otherwise. */
export function tableNames(table: unknown): TableNames {
  if (typeof table !== 'string' || !IDENTIFIER.test(table)) {
    throw new SessionConfigError(
      `table must be a plain SQL identifier (letters, digits, _; at most 48 characters; not starting with a digit or sqlite_), got ${JSON.stringify(table)}`,
    )
  }
  return {
    table,
    quoted: `"${table}"`,
    userIndex: `${table}_user_id_idx`,
    expiryIndex: `${table}_expires_at_idx`,
  }
}

/** The columns the store reads and writes; a table without one of them is not ours. */
export const COLUMNS = [
  'session_key',
  'data',
  'meta',
  'user_id',
  'created_at',
  'last_seen_at',
  'expires_at',
  'absolute_expires_at',
  'lock_token',
  'lock_fence',
  'lock_expires_at',
] as const

/**
 * The DDL for the session table: idempotent statements (safe on every start
 * and from several processes at once), the content of `sql/sqlite.sql` for
 * the default name.
 *
 * - `STRICT`: SQLite checks each value's type as other databases do.
 * - Times are INTEGER milliseconds since the epoch, all from the host's clock.
 * - `data` and `meta` hold JSON text; `data` is NULL for a row that only
 *   carries a lock (a locked key with no session), never returned as a session.
 * - `lock_token` / `lock_fence` / `lock_expires_at` are the lock lease: a
 *   random token per acquisition, a count of acquisitions of the row, and
 *   when the lease ends unless renewed.
 */
export function schemaSql(names: TableNames): string {
  return `CREATE TABLE IF NOT EXISTS ${names.quoted} (
  session_key         TEXT NOT NULL PRIMARY KEY,
  data                TEXT,
  meta                TEXT NOT NULL,
  user_id             TEXT,
  created_at          INTEGER NOT NULL,
  last_seen_at        INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,
  absolute_expires_at INTEGER,
  lock_token          TEXT,
  lock_fence          INTEGER NOT NULL DEFAULT 0,
  lock_expires_at     INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS "${names.userIndex}" ON ${names.quoted} (user_id);
CREATE INDEX IF NOT EXISTS "${names.expiryIndex}" ON ${names.quoted} (expires_at);`
}
