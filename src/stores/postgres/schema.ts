import { SessionConfigError } from '../../core/errors.js'

/**
 * Plain identifiers only: they are quoted anyway, but refusing anything else
 * keeps names readable in psql and out of reach of injection. 48 characters
 * leave room for the index-name suffixes within PostgreSQL's 63-byte limit.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/

/** A validated, double-quoted schema-qualified table name and the names derived from it. */
export interface TableNames {
  readonly schema: string
  readonly table: string
  /** `"schema"."table"` */
  readonly qualified: string
  /** Unquoted index names. */
  readonly userIndex: string
  readonly expiryIndex: string
  /** A key for `pg_advisory_xact_lock` that serialises concurrent migrations of this table. */
  readonly migrationLockKey: string
}

function identifier(value: unknown, option: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new SessionConfigError(
      `${option} must be a plain SQL identifier (letters, digits, _; at most 48 characters; not starting with a digit), got ${JSON.stringify(value)}`,
    )
  }
  return value
}

const quote = (name: string) => `"${name}"`

/** Validates `schema` and `table` and quotes them; throws `SessionConfigError` otherwise. */
export function tableNames(schema: unknown, table: unknown): TableNames {
  const s = identifier(schema, 'schema')
  const t = identifier(table, 'table')
  return {
    schema: s,
    table: t,
    qualified: `${quote(s)}.${quote(t)}`,
    userIndex: `${t}_user_id_idx`,
    expiryIndex: `${t}_expires_at_idx`,
    migrationLockKey: `latchkey:${s}.${t}`,
  }
}

/**
 * The DDL for the session table: idempotent (safe to run on every start) and
 * the content of `sql/postgres.sql` for the default names.
 *
 * - `data` is NULL for a row that only carries a lock (a locked key with no
 *   session); such rows are never returned as sessions.
 * - `lock_token` / `lock_expires_at` are the lock lease: a random token per
 *   acquisition, checked by every write made through the lease (fencing).
 * - fillfactor leaves room on each page so that lock/unlock updates, which
 *   change no indexed column, stay HOT (no index writes, less bloat).
 * - Upgrades and indexes run only when something is missing: even a no-op
 *   `ALTER TABLE` takes an ACCESS EXCLUSIVE lock, which would stall a busy
 *   table on every application start.
 */
export function schemaSql(names: TableNames): string {
  const t = names.qualified
  const where = `table_schema = '${names.schema}' AND table_name = '${names.table}'`
  return `CREATE TABLE IF NOT EXISTS ${t} (
  key                 text PRIMARY KEY,
  data                jsonb,
  meta                jsonb NOT NULL DEFAULT '{}',
  user_id             text,
  created_at          timestamptz NOT NULL,
  last_seen_at        timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  absolute_expires_at timestamptz,
  lock_token          uuid,
  lock_expires_at     timestamptz
) WITH (fillfactor = 70);

DO $latchkey$
BEGIN
  IF (SELECT count(*) FROM information_schema.columns WHERE ${where}
      AND (column_name IN ('meta', 'absolute_expires_at', 'lock_token', 'lock_expires_at')
           OR (column_name = 'data' AND is_nullable = 'YES'))) < 5 THEN
    ALTER TABLE ${t}
      ADD COLUMN IF NOT EXISTS meta jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN IF NOT EXISTS absolute_expires_at timestamptz,
      ADD COLUMN IF NOT EXISTS lock_token uuid,
      ADD COLUMN IF NOT EXISTS lock_expires_at timestamptz,
      ALTER COLUMN data DROP NOT NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes
      WHERE schemaname = '${names.schema}' AND indexname = '${names.userIndex}') THEN
    CREATE INDEX ${quote(names.userIndex)} ON ${t} (user_id) WHERE user_id IS NOT NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes
      WHERE schemaname = '${names.schema}' AND indexname = '${names.expiryIndex}') THEN
    CREATE INDEX ${quote(names.expiryIndex)} ON ${t} (expires_at);
  END IF;
END
$latchkey$;
`
}
