import { SessionConfigError } from '../../core/errors.js'
import type { SessionStore, StoredRecord } from '../../core/store.js'
import {
  callStore,
  type ExpressSessionObject,
  type ExpressSessionStoreLike,
} from './express-session-store.js'

/** Options of {@link fromExpressStore}. */
export interface ExpressStoreOptions {
  /**
   * The store's name in error messages and `onError` reports.
   * @default 'express:<the store's class name>'
   */
  name?: string
}

/** The field of the stored session object that holds latchkey's record. */
const RECORD_FIELD = 'latchkey'

function isRecord(value: unknown): value is StoredRecord {
  const record = value as Partial<StoredRecord> | null
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.expiresAt === 'number' &&
    (typeof record.data === 'object' || typeof record.data === 'string')
  )
}

/**
 * Any express-session store (connect-redis, connect-pg-simple,
 * session-file-store, connect-mongo, connect-session-knex, ...) as a latchkey
 * store, keyed by latchkey's hashed session ids.
 *
 * Each record is saved as a session object the store understands: latchkey's
 * record under `latchkey`, beside a `cookie` whose `expires` and
 * `originalMaxAge` give the store the record's TTL.
 *
 * **No cross-process lock**: express stores cannot lock, so the manager's
 * in-process lock is the only one. Requests of one session served by two
 * processes at once can overwrite each other's changes; run one process, pin
 * sessions to a process, or move to a store with a lock (Redis, PostgreSQL,
 * MySQL, SQLite) when that matters. Nor does it touch (the store's `touch`
 * would extend the store's TTL but not the record's own expiry, so sliding
 * expiry rewrites the record under the lock) or index sessions by user
 * (`listByUser`/`logoutEverywhere` need a store that can be queried).
 *
 * @throws {SessionConfigError} when `store` lacks `get`, `set` or `destroy`
 * @example
 * ```ts
 * import { RedisStore as ConnectRedisStore } from 'connect-redis'
 * import { fromExpressStore } from 'latchkey/stores/express'
 *
 * const sessions = new Sessions({ store: fromExpressStore(new ConnectRedisStore({ client })) })
 * ```
 */
export function fromExpressStore(
  store: ExpressSessionStoreLike,
  options: ExpressStoreOptions = {},
): SessionStore {
  const candidate = store as Partial<ExpressSessionStoreLike> | null
  if (
    typeof candidate?.get !== 'function' ||
    typeof candidate.set !== 'function' ||
    typeof candidate.destroy !== 'function'
  )
    throw new SessionConfigError(
      'fromExpressStore needs an express-session store, with get(sid, cb), set(sid, session, cb) and destroy(sid, cb)',
    )
  const name = options.name ?? `express:${store.constructor?.name ?? 'store'}`
  return {
    name,
    async get(key) {
      const session = await callStore<unknown>((cb) => store.get(key, cb))
      const record = (session as Record<string, unknown> | null | undefined)?.[RECORD_FIELD]
      return isRecord(record) ? record : undefined
    },
    async set(key, record, ttlSeconds) {
      const maxAge = ttlSeconds * 1000
      const cookie: ExpressSessionObject['cookie'] = {
        originalMaxAge: maxAge,
        expires: new Date(Date.now() + maxAge),
      }
      const session = { cookie, [RECORD_FIELD]: record }
      await callStore((cb) => store.set(key, session, cb))
    },
    async delete(key) {
      await callStore((cb) => store.destroy(key, cb))
    },
  }
}
