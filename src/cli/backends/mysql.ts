import type { MySQLClient, MySQLQuery } from '../../stores/mysql/client.js'
import { MySQLStore } from '../../stores/mysql/mysql-store.js'
import { loadClient } from '../load-client.js'
import type { ServerLocation } from '../store-url.js'
import {
  type Backend,
  COMMAND_TIMEOUT_SECONDS,
  CONNECT_TIMEOUT_MS,
  connected,
  type StoreNaming,
} from './backend.js'

/** A pool, whichever driver made it. */
interface Pool {
  client: MySQLClient
  ping(): Promise<unknown>
  end(): Promise<void>
}

/** The parts of mysql2 the CLI uses. */
interface Mysql2Module {
  createPool(options: object): {
    promise(): MySQLClient & { end(): Promise<void> }
  }
}

/** The parts of the mariadb connector the CLI uses. */
interface MariadbModule {
  createPool(options: object): {
    query(sql: string | { sql: string; timeout: number }, values?: unknown[]): Promise<unknown>
    end(): Promise<void>
  }
}

/** Connection settings from the URL, the same for both drivers. */
function settings(url: string) {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    ...(parsed.pathname.length > 1
      ? { database: decodeURIComponent(parsed.pathname.slice(1)) }
      : {}),
  }
}

function mysql2Pool(module: Mysql2Module, url: string): Pool {
  const pool = module
    .createPool({ ...settings(url), connectTimeout: CONNECT_TIMEOUT_MS, connectionLimit: 2 })
    .promise()
  return { client: pool, ping: () => pool.query({ sql: 'SELECT 1' }), end: () => pool.end() }
}

/** The mariadb connector answers rows, where MySQLStore expects mysql2's `[rows, fields]`. */
function mariadbPool(module: MariadbModule, url: string): Pool {
  const pool = module.createPool({
    ...settings(url),
    connectTimeout: CONNECT_TIMEOUT_MS,
    acquireTimeout: CONNECT_TIMEOUT_MS,
    connectionLimit: 2,
  })
  const client: MySQLClient = {
    query: async ({ sql, values, timeout }: MySQLQuery) => [
      await pool.query(timeout === undefined ? sql : { sql, timeout }, values),
    ],
  }
  return { client, ping: () => pool.query('SELECT 1'), end: () => pool.end() }
}

/**
 * A MySQLStore over the project's mysql2 or mariadb connector, whichever is
 * installed, connected to a `mysql://` or `mariadb://` URL.
 */
export async function openMySQL(location: ServerLocation, naming: StoreNaming): Promise<Backend> {
  const { name, module } = await loadClient(['mysql2', 'mariadb'], 'A mysql:// URL')
  const driver = ((module as { default?: unknown }).default ?? module) as object
  const pool =
    name === 'mysql2'
      ? mysql2Pool(driver as Mysql2Module, location.url)
      : mariadbPool(driver as MariadbModule, location.url)
  const end = () => {
    pool.end().catch(() => {})
  }
  await connected('mysql', location.address, () => pool.ping(), end)
  try {
    const store = new MySQLStore({
      client: pool.client,
      queryTimeout: COMMAND_TIMEOUT_SECONDS,
      sweepInterval: 0,
      ...(naming.table === undefined ? {} : { table: naming.table }),
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
