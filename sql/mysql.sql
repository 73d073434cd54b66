-- latchkey MySQLStore schema (MySQL 8, MariaDB 10.11+; default table "latchkey_sessions"
-- in the connection's database). Idempotent: safe to run on every deploy. It is exactly what
-- `await store.migrate()` runs; with other names, print yours with `store.schemaSql()`.
-- See docs/mysql.md. Run it with e.g. `mysql mydb < sql/mysql.sql`.

CREATE TABLE IF NOT EXISTS `latchkey_sessions` (
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
  KEY `latchkey_sessions_user_id_idx` (user_id),
  KEY `latchkey_sessions_expires_at_idx` (expires_at)
) ENGINE = InnoDB;
