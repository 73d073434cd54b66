import type { SessionStore } from '../../src/index.js'
import type { DatabaseServer } from '../support/database-server.js'

/** What the SQL suites need of PostgresStore and MySQLStore alike. */
export type SqlStore = Omit<SessionStore, 'sweep'> &
  Required<Pick<SessionStore, 'lock' | 'touch' | 'listByUser' | 'deleteByUser'>> & {
    migrate(): Promise<void>
    sweep(): Promise<number>
    close(): Promise<void>
  }

/** The application's pool, as the suites handle it: made, passed on, ended. */
export interface SqlPool {
  end(): Promise<void>
}

export interface SqlStoreOptions {
  queryTimeout?: number
  sweepInterval?: number
  sweepBatchSize?: number
}

/**
 * One database the SQL-store suites run against: how to start its server,
 * make a pool and a store on it, and the few checks that need its own SQL or
 * its pool's counters. Everything else a suite asserts is the same for all.
 */
export interface SqlTarget<Pool extends SqlPool> {
  /** The server, as test names say it: `PostgreSQL`, `MariaDB`. */
  readonly server: string
  /** The store class's name, for suite names. */
  readonly storeName: string
  /** The store module under `stores/` in a build, also counter-server.js's `DATABASE`. */
  readonly module: 'postgres' | 'mysql'
  /** `describe` that skips (or fails in CI) when the server is not installed. */
  readonly describe: (name: string, body: () => void) => void
  start(): Promise<DatabaseServer<object>>
  pool(server: DatabaseServer<object>, max: number): Pool
  store(pool: Pool, options?: SqlStoreOptions): SqlStore
  /** A store on `pool` that calls `counted` for every statement it sends. */
  countingStore(pool: Pool, counted: () => void): SqlStore
  /** Statements a locked request costs through the Fastify plugin, and what they are. */
  readonly lockedRequest: { statements: number; are: string }
  /** Rows of the default table with `key`, expired or not. */
  rowsOf(pool: Pool, key: string): Promise<number>
  /** Expires the session row of `key` now, whatever its lock. */
  expireSession(pool: Pool, key: string): Promise<void>
  /** Ends the lease on `key` now, as if its holder had paused past it. */
  expireLock(pool: Pool, key: string): Promise<void>
  /** Connections `pool` holds open to the server. */
  connectionsOpen(server: DatabaseServer<object>, pool: Pool): Promise<number>
  /** Counts the connections `pool` opens from now on, and its waits for one. */
  watch(pool: Pool): PoolWatch
  /** Whether the store's JSON column holds `\u0000` (JSON text does, jsonb does not). */
  readonly holdsNul: boolean
}

export interface PoolWatch {
  /** Connections open (or opened since the watch began) at the most. */
  connections(): number
  /** How much the pool made statements wait for a connection, for the log. */
  waits(): string
  stop(): void
}
