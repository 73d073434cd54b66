// Chooses an example's session store from the environment (the example-app contract):
//   REDIS_URL set               → RedisStore on a node-redis client
//   DATABASE_URL=postgres://…   → PostgresStore on a pg Pool (the table is created by migrate())
//   DATABASE_URL=mysql://…      → MySQLStore on a mysql2 pool (likewise)
//   SQLITE_PATH set             → SQLiteStore on that file (node:sqlite, or better-sqlite3 on Node 20)
//   COOKIE_KEY set              → CookieStore, the session sealed in the cookie (`npx latchkey keygen`)
//   none of them                → MemoryStore (one process, nothing to install)
// Processes started with the same store share its sessions and its locks (but for MemoryStore).
// Drivers are imported only when asked for, so `npm start` needs none of them.
import { MemoryStore } from 'latchkey/stores/memory'

/** @returns {Promise<{ store: import('latchkey').AnyStore, label: string, close: () => Promise<void> }>} */
export async function chooseStore(env = process.env) {
  if (env.REDIS_URL) {
    const [{ createClient }, { RedisStore }] = await Promise.all([
      import('redis'),
      import('latchkey/stores/redis'),
    ])
    const client = createClient({
      url: env.REDIS_URL,
      socket: { connectTimeout: 5_000, reconnectStrategy: (n) => Math.min(50 * n, 1_000) },
    })
    client.on('error', (err) => console.warn(`redis: ${err.message}`))
    await client.connect()
    return {
      store: new RedisStore({ client, prefix: 'latchkey-demo:' }),
      label: `RedisStore (${redacted(env.REDIS_URL)})`,
      close: () => client.close(),
    }
  }
  if (env.DATABASE_URL?.startsWith('mysql:')) {
    const [{ default: mysql }, { MySQLStore }] = await Promise.all([
      import('mysql2/promise'),
      import('latchkey/stores/mysql'),
    ])
    const pool = mysql.createPool({
      uri: env.DATABASE_URL,
      connectionLimit: 10,
      connectTimeout: 2_000,
    })
    const store = new MySQLStore({ client: pool })
    await store.migrate()
    return {
      store,
      label: `MySQLStore (${redacted(env.DATABASE_URL)})`,
      close: () => pool.end(),
    }
  }
  if (env.DATABASE_URL) {
    const [{ default: pg }, { PostgresStore }] = await Promise.all([
      import('pg'),
      import('latchkey/stores/postgres'),
    ])
    const pool = new pg.Pool({
      connectionString: env.DATABASE_URL,
      max: 10,
      connectionTimeoutMillis: 2_000,
    })
    // Idle connections can drop; pg requires a listener.
    pool.on('error', (err) => console.warn(`postgres: ${err.message}`))
    const store = new PostgresStore({ client: pool })
    await store.migrate()
    return {
      store,
      label: `PostgresStore (${redacted(env.DATABASE_URL)})`,
      close: () => pool.end(),
    }
  }
  if (env.SQLITE_PATH) {
    const { SQLiteStore } = await import('latchkey/stores/sqlite')
    const store = new SQLiteStore({ path: env.SQLITE_PATH })
    await store.migrate()
    // The managers' close() closes the store, and with it the file.
    return { store, label: `SQLiteStore (${env.SQLITE_PATH})`, close: async () => {} }
  }
  if (env.COOKIE_KEY) {
    const { CookieStore } = await import('latchkey/stores/cookie')
    return {
      store: new CookieStore({ keys: env.COOKIE_KEY }),
      label: 'CookieStore (sealed in the cookie)',
      close: async () => {},
    }
  }
  return { store: new MemoryStore(), label: 'MemoryStore (in this process)', close: async () => {} }
}

/** The URL without its password, for the start-up line. */
function redacted(url) {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(unparsable URL)'
  }
}
