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
 * @throws {SessionUsageError} for a naming flag the store has not (`--prefix` on SQL, `--table` on Redis).
 */
export function openStore(location: StoreLocation, naming: StoreNaming): Promise<Backend> {
  if (location.kind === 'redis' && naming.table !== undefined)
    throw new SessionUsageError('--table is for SQL stores; a Redis store takes --prefix')
  if (location.kind !== 'redis' && naming.prefix !== undefined)
    throw new SessionUsageError('--prefix is for Redis stores; a SQL store takes --table')
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
