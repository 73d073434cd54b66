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

ALTER TABLE "public"."latchkey_sessions" ADD COLUMN IF NOT EXISTS meta jsonb NOT NULL DEFAULT '{}';
ALTER TABLE "public"."latchkey_sessions" ADD COLUMN IF NOT EXISTS absolute_expires_at timestamptz;
ALTER TABLE "public"."latchkey_sessions" ADD COLUMN IF NOT EXISTS lock_token uuid;
ALTER TABLE "public"."latchkey_sessions" ADD COLUMN IF NOT EXISTS lock_expires_at timestamptz;
ALTER TABLE "public"."latchkey_sessions" ALTER COLUMN data DROP NOT NULL;

CREATE INDEX IF NOT EXISTS "latchkey_sessions_user_id_idx" ON "public"."latchkey_sessions" (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS "latchkey_sessions_expires_at_idx" ON "public"."latchkey_sessions" (expires_at);
