import { SessionConfigError } from '../../core/errors.js'

/**
 * Plain identifiers only: they are quoted anyway, but refusing anything else
 * keeps names readable and out of reach of injection. 48 characters leave
 * room for the index-name suffixes within MySQL's 64-character limit.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/

/** A validated, backquoted table name and the names derived from it. */
export interface TableNames {
  readonly table: string
  /** `` `database`.`table` `` or `` `table` `` (the connection's database). */
  readonly qualified: string
  readonly userIndex: string
  readonly expiryIndex: string
}

function identifier(value: unknown, option: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new SessionConfigError(
      `${option} must be a plain SQL identifier (letters, digits, _; at most 48 characters; not starting with a digit), got ${JSON.stringify(value)}`,
    )
  }
  return value
}

const quote = (name: string) => `\`${name}\``

/** Validates `database` (optional) and `table` and quotes them; throws `SessionConfigError` otherwise. */
export function tableNames(database: unknown, table: unknown): TableNames {
  const t = identifier(table, 'table')
  const qualified =
    database === undefined ? quote(t) : `${quote(identifier(database, 'database'))}.${quote(t)}`
  return { table: t, qualified, userIndex: `${t}_user_id_idx`, expiryIndex: `${t}_expires_at_idx` }
}

/**
 * The DDL for the session table: one idempotent statement (safe to run on
 * every start and from several processes at once), the content of
 * `sql/mysql.sql` for the default names. The same text runs on MySQL 8 and
 * MariaDB 10.11+.
 *
 * - Times are BIGINT milliseconds since the epoch: record times from the
 *   application's clock (as every store), lease times from the database clock.
 *   No `DATETIME`, so no session time zone can shift them.
 * - `data` and `meta` hold JSON text in `LONGTEXT` (MariaDB's `JSON` is an
 *   alias of it; MySQL's binary JSON would reorder keys and cost a parse).
 *   `data` is NULL for a row that only carries a lock (a locked key with no
 *   session); such rows are never returned as sessions.
 * - `lock_token` / `lock_expires_at` are the lock lease: a random token per
 *   acquisition, checked by every write made through the lease (fencing).
 */
export function schemaSql(names: TableNames): string {
  return `CREATE TABLE IF NOT EXISTS ${names.qualified} (
  session_key         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  data                LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  meta                LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  user_id             VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  created_at          BIGINT NOT NULL,
  last_seen_at        BIGINT NOT NULL,
  expires_at          BIGINT NOT NULL,
  absolute_expires_at BIGINT NULL,
  lock_token          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL,
  lock_expires_at     BIGINT NULL,
  PRIMARY KEY (session_key),
  KEY ${quote(names.userIndex)} (user_id),
  KEY ${quote(names.expiryIndex)} (expires_at)
) ENGINE = InnoDB`
}
