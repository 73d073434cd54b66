// Chooses the demo's session store from the environment:
//   REDIS_URL set    → RedisStore on a node-redis client
//   DATABASE_URL set → PostgresStore on a pg Pool (the table is created by migrate())
//   SQLITE_PATH set  → SQLiteStore on that file (node:sqlite, or better-sqlite3 on Node 20)
//   none of them     → MemoryStore (one process, nothing to install)
// `redis` and `pg` are imported only when asked for, so `npm start` needs neither.
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
