import { URL_VARIABLE } from './store-url.js'

/** `latchkey help`. */
export const USAGE = `Usage: latchkey <command>

Commands:
  keygen     Print a new random key for CookieStore: 32 bytes in url-safe base64,
             the format of Python's Fernet.generate_key().
  sessions   List, revoke, count and sweep the sessions of a store
             (latchkey sessions --help).
  help       Print this help.

Keep the key secret (an environment variable or a secret store). To rotate, put
the new key first and keep the old one until its cookies expire:
  new CookieStore({ keys: [newKey, oldKey] })
`

/** `latchkey sessions --help`. */
export const SESSIONS_USAGE = `Usage: latchkey sessions <command> [options]

Commands:
  list   --user <id>                     The user's live sessions, with a reference each.
  revoke --user <id> [--session <ref>]   End that session of the user, or all of them.
  stats                                  Count live, logged-in and expired sessions, by age.
  sweep                                  Delete what has expired now (progress on a terminal).

Options:
  --url <url>      The store: redis://host:6379, rediss://…, postgres://user:pass@host/db,
                   mysql://user:pass@host/db, mariadb://…, sqlite:./sessions.db, file:…
                   (default: $${URL_VARIABLE}).
  --prefix <p>     The RedisStore's key prefix (default: latchkey:).
  --table <name>   The SQL store's table (default: latchkey_sessions).
  --schema <name>  The PostgresStore's schema (default: public).
  --json           Print one JSON document instead of text.
  -h, --help       Print this help.

The database client comes from your project: ioredis or redis, pg, mysql2 or
mariadb, node:sqlite (Node 22.5+) or better-sqlite3.

Exit codes: 0 done, 1 failed (e.g. server unreachable), 2 usage error (e.g. bad
URL, unknown flag), 3 database client package not installed.
`
