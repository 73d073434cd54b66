-- latchkey PostgresStore schema (default names: schema "public", table "latchkey_sessions").
-- Idempotent: safe to run on every deploy. It is exactly what `await store.migrate()` runs;
-- with other names, print yours with `store.schemaSql()`. See docs/postgres.md.
-- Run it in one transaction, e.g. `psql -1 -f sql/postgres.sql`.

CREATE TABLE IF NOT EXISTS "public"."latchkey_sessions" (
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
  IF (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'latchkey_sessions'
      AND (column_name IN ('meta', 'absolute_expires_at', 'lock_token', 'lock_expires_at')
           OR (column_name = 'data' AND is_nullable = 'YES'))) < 5 THEN
    ALTER TABLE "public"."latchkey_sessions"
      ADD COLUMN IF NOT EXISTS meta jsonb NOT NULL DEFAULT '{}',
      ADD COLUMN IF NOT EXISTS absolute_expires_at timestamptz,
      ADD COLUMN IF NOT EXISTS lock_token uuid,
      ADD COLUMN IF NOT EXISTS lock_expires_at timestamptz,
      ALTER COLUMN data DROP NOT NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes
      WHERE schemaname = 'public' AND indexname = 'latchkey_sessions_user_id_idx') THEN
    CREATE INDEX "latchkey_sessions_user_id_idx" ON "public"."latchkey_sessions" (user_id) WHERE user_id IS NOT NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes
      WHERE schemaname = 'public' AND indexname = 'latchkey_sessions_expires_at_idx') THEN
    CREATE INDEX "latchkey_sessions_expires_at_idx" ON "public"."latchkey_sessions" (expires_at);
  END IF;
END
$latchkey$;
