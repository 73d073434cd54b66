import pg from 'pg'
import { newSessionId } from '../../src/crypto/ids.js'
import { hashSessionId, type SessionRecord } from '../../src/index.js'
import type { PostgresConnection } from '../support/postgres-server.js'

/** A fresh store key, as the manager would derive it from a new session id. */
export function newKey(): string {
  return hashSessionId(newSessionId())
}

/** A record that lives `ttlSeconds` from now. */
export function recordOf(
  data: SessionRecord['data'],
  ttlSeconds = 60,
  extra: Partial<SessionRecord> = {},
): SessionRecord {
  const now = Date.now()
  return { data, createdAt: now, lastSeenAt: now, expiresAt: now + ttlSeconds * 1000, ...extra }
}

/**
 * A pool on the test server. Like any application pool it listens for
 * 'error': idle connections are cut when the server shuts down.
 */
export function poolOn(connection: PostgresConnection, max: number): pg.Pool {
  const pool = new pg.Pool({ ...connection, max })
  pool.on('error', () => {})
  return pool
}
