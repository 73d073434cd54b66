-- latchkey SQLiteStore schema (SQLite 3.37+, default table "latchkey_sessions"). Idempotent:
-- safe to run on every deploy. It is exactly what `await store.migrate()` runs; with another
-- table name, print yours with `store.schemaSql()`. See docs/sqlite.md.
-- Run it with e.g. `sqlite3 sessions.db < sql/sqlite.sql`.

CREATE TABLE IF NOT EXISTS "latchkey_sessions" (
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
CREATE INDEX IF NOT EXISTS "latchkey_sessions_user_id_idx" ON "latchkey_sessions" (user_id);
CREATE INDEX IF NOT EXISTS "latchkey_sessions_expires_at_idx" ON "latchkey_sessions" (expires_at);
