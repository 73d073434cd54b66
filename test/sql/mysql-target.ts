import mysql from 'mysql2/promise'
import { type MySQLQuery, MySQLStore } from '../../src/stores/mysql/index.js'
import type { DatabaseServer } from '../support/database-server.js'
import { describeWithMySQL, type MySQLConnection, startMySQL } from '../support/mysql-server.js'
import type { SqlTarget } from './target.js'

/** A `mysql2/promise` pool on the test server, as an application would make it. */
export function poolOn(connection: MySQLConnection, max: number): mysql.Pool {
  return mysql.createPool({ ...connection, connectionLimit: max, connectTimeout: 2000 })
}

/** Connections the test user has open, apart from the one asking. */
async function connectionsOpen(server: DatabaseServer<object>): Promise<number> {
  const probe = await mysql.createConnection(server.connection as MySQLConnection)
  const [rows] = await probe.query(
    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = 'latchkey'",
  )
  await probe.end()
  return Number((rows as Array<{ n: number }>)[0]?.n) - 1
}

export const mysqlTarget: SqlTarget<mysql.Pool> = {
  server: 'MariaDB',
  storeName: 'MySQLStore',
  module: 'mysql',
  describe: describeWithMySQL,
  start: () => startMySQL(),
  pool: (server, max) => poolOn(server.connection as MySQLConnection, max),
  store: (pool, options = {}) => new MySQLStore({ client: pool, ...options }),
  countingStore: (pool, counted) =>
    new MySQLStore({
      client: {
        query(query: MySQLQuery) {
          counted()
          return pool.query(query)
        },
      },
    }),
  lockedRequest: { statements: 3, are: 'take the lease, read the row, save + unlock' },
  async rowsOf(pool, key) {
    const [rows] = await pool.query('SELECT 1 FROM latchkey_sessions WHERE session_key = ?', [key])
    return (rows as unknown[]).length
  },
  async expireSession(pool, key) {
    await pool.query('UPDATE latchkey_sessions SET expires_at = 0 WHERE session_key = ?', [key])
  },
  async expireLock(pool, key) {
    await pool.query('UPDATE latchkey_sessions SET lock_expires_at = 0 WHERE session_key = ?', [
      key,
    ])
  },
  // The pool's own count would miss connections whose statement timed out: mysql2 keeps them
  // busy until the server answers. The server's process list sees them.
  connectionsOpen: (server) => connectionsOpen(server),
  watch(pool) {
    let opened = 0
    let queued = 0
    const onConnection = () => opened++
    const onEnqueue = () => queued++
    pool.on('connection', onConnection)
    pool.on('enqueue', onEnqueue)
    return {
      connections: () => opened,
      waits: () => `${queued} waits for a pooled connection`,
      stop() {
        pool.off('connection', onConnection)
        pool.off('enqueue', onEnqueue)
      },
    }
  },
  holdsNul: true,
}
