import type { PostgresClient } from '../../stores/postgres/client.js'
import { PostgresStore } from '../../stores/postgres/postgres-store.js'
import { loadClient } from '../load-client.js'
import type { ServerLocation } from '../store-url.js'
import {
  type Backend,
  COMMAND_TIMEOUT_SECONDS,
  CONNECT_TIMEOUT_MS,
  connected,
  type StoreNaming,
} from './backend.js'

/** The parts of `pg` the CLI uses. */
interface PgModule {
  Pool: new (
    options: object,
  ) => PostgresClient & {
    query(text: string): Promise<unknown>
    end(): Promise<void>
    on(event: 'error', listener: () => void): void
  }
}

/** A PostgresStore over the project's `pg`, connected to a `postgres://` URL. */
export async function openPostgres(
  location: ServerLocation,
  naming: StoreNaming,
): Promise<Backend> {
  const { module } = await loadClient(['pg'], 'A postgres:// URL')
  const pg = ((module as { default?: PgModule }).default ?? module) as PgModule
  const pool = new pg.Pool({
    connectionString: location.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: 2,
  })
  // An idle connection that drops is reported by the next query.
  pool.on('error', () => {})
  const end = () => {
    pool.end().catch(() => {})
  }
  await connected('postgres', location.address, () => pool.query('SELECT 1'), end)
  try {
    const store = new PostgresStore({
      client: pool,
      queryTimeout: COMMAND_TIMEOUT_SECONDS,
      sweepInterval: 0,
      ...(naming.table === undefined ? {} : { table: naming.table }),
      ...(naming.schema === undefined ? {} : { schema: naming.schema }),
    })
    return {
      store,
      close: async () => {
        await store.close()
        await pool.end()
      },
    }
  } catch (error) {
    end()
    throw error
  }
}
