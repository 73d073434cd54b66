import { SessionUsageError } from '../core/errors.js'
import type { Backend, StoreNaming } from './backends/backend.js'
import { openMySQL } from './backends/mysql.js'
import { openPostgres } from './backends/postgres.js'
import { openRedis } from './backends/redis.js'
import { openSQLite } from './backends/sqlite.js'
import type { StoreLocation } from './store-url.js'

/**
 * Connects to the store at `location`, named as the application names it.
 *
 * @throws {SessionUsageError} for a naming flag the store has not (`--prefix` on SQL,
 *   `--table` on Redis, `--schema` but on PostgreSQL).
 */
export function openStore(location: StoreLocation, naming: StoreNaming): Promise<Backend> {
  if (location.kind === 'redis' && naming.table !== undefined)
    throw new SessionUsageError('--table is for SQL stores; a Redis store takes --prefix')
  if (location.kind !== 'redis' && naming.prefix !== undefined)
    throw new SessionUsageError('--prefix is for Redis stores; a SQL store takes --table')
  if (location.kind !== 'postgres' && naming.schema !== undefined)
    throw new SessionUsageError(
      '--schema is for PostgreSQL; name a MySQL database in the URL, e.g. mysql://user@host/database',
    )
  switch (location.kind) {
    case 'redis':
      return openRedis(location, naming)
    case 'postgres':
      return openPostgres(location, naming)
    case 'mysql':
      return openMySQL(location, naming)
    case 'sqlite':
      return openSQLite(location, naming)
  }
}
