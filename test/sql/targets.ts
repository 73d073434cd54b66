import { mysqlTarget } from './mysql-target.js'
import { postgresTarget } from './postgres-target.js'
import type { SqlPool, SqlTarget } from './target.js'

/** Defines `suite` once per SQL database: PostgreSQL, then MariaDB. */
export function forEachSqlTarget(
  suite: <Pool extends SqlPool>(target: SqlTarget<Pool>) => void,
): void {
  suite(postgresTarget)
  suite(mysqlTarget)
}
