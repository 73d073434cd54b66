import pg from 'pg'
import { type PostgresQuery, PostgresStore } from '../../src/stores/postgres/index.js'
import {
  describeWithPostgres,
  type PostgresConnection,
  startPostgres,
} from '../support/postgres-server.js'
import type { SqlTarget } from './target.js'

/**
 * A pool on the test server. Like any application pool it listens for
 * 'error': idle connections are cut when the server shuts down.
 */
export function poolOn(connection: PostgresConnection, max: number): pg.Pool {
  const pool = new pg.Pool({ ...connection, max })
  pool.on('error', () => {})
  return pool
}

export const postgresTarget: SqlTarget<pg.Pool> = {
  server: 'PostgreSQL',
  storeName: 'PostgresStore',
  module: 'postgres',
  describe: describeWithPostgres,
  start: () => startPostgres(),
  pool: (server, max) => poolOn(server.connection as PostgresConnection, max),
  store: (pool, options = {}) => new PostgresStore({ client: pool, ...options }),
  countingStore: (pool, counted) =>
    new PostgresStore({
      client: {
        query(query: PostgresQuery) {
          counted()
          return pool.query(query)
        },
      },
    }),
  lockedRequest: { statements: 2, are: 'take the lease and read the row, save + unlock' },
  async rowsOf(pool, key) {
    const { rows } = await pool.query('SELECT 1 FROM latchkey_sessions WHERE key = $1', [key])
    return rows.length
  },
  async expireSession(pool, key) {
    await pool.query(
      `UPDATE latchkey_sessions SET expires_at = now() - interval '1 minute' WHERE key = $1`,
      [key],
    )
  },
  async expireLock(pool, key) {
    await pool.query(
      `UPDATE latchkey_sessions SET lock_expires_at = now() - interval '1 second' WHERE key = $1`,
      [key],
    )
  },
  connectionsOpen: async (_server, pool) => pool.totalCount,
  watch(pool) {
    let waitingPeak = 0
    const timer = setInterval(() => {
      waitingPeak = Math.max(waitingPeak, pool.waitingCount)
    }, 1)
    return {
      connections: () => pool.totalCount,
      waits: () => `peak pool queue ${waitingPeak}`,
      stop: () => clearInterval(timer),
    }
  },
  holdsNul: false,
}
