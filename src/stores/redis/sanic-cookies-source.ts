import { SessionConfigError } from '../../core/errors.js'
import type { LegacySessionSource } from '../../core/legacy-source.js'
import type { SessionData } from '../../core/store.js'
import { type RedisClientLike, RedisCommands } from './client.js'

/** Options of {@link sanicCookiesRedisSource}: those given to sanic-cookies, where they matter. */
export interface SanicCookiesRedisSourceOptions {
  /** A client of the Redis that sanic-cookies' `Aioredis` interface wrote to. */
  client: RedisClientLike
  /** The interface's `prefix`. @default 'session:' */
  prefix?: string
  /** The session's `cookie_name`. @default 'SESSION' (sanic-cookies' `AuthSession`: 'SECURE_SESSION') */
  cookieName?: string
  /** The session's `path` and `domain`, which the deletion of the old cookie repeats. */
  path?: string
  domain?: string
  /** Milliseconds a Redis command may take before it fails with `SessionStoreError`. @default 2000 */
  commandTimeout?: number
}

/** sanic-cookies' sids: `uuid4().hex` by default; a custom `sid_factory`'s when URL-safe. */
const SID = /^[A-Za-z0-9_-]{16,256}$/

/**
 * sanic-cookies' Redis sessions (its `Aioredis` interface) as a source for the
 * manager's `migrateFrom`: the cookie carries the sid itself, the record is
 * the session dict as JSON (ujson) under `prefix + sid`. The data moves as it
 * is (an `AuthSession`'s `current_user` under that key).
 *
 * sanic-cookies' `InCookieEncrypted` sessions need no migration: latchkey's
 * `CookieStore` reads their Fernet cookies.
 *
 * @throws {SessionConfigError} when `client` is not a Redis client
 * @example
 * ```ts
 * const sessions = new Sessions({
 *   store: new RedisStore({ client }),
 *   migrateFrom: sanicCookiesRedisSource({ client, cookieName: 'SESSION' }),
 * })
 * ```
 */
export function sanicCookiesRedisSource(
  options: SanicCookiesRedisSourceOptions,
): LegacySessionSource {
  const redis = new RedisCommands(options.client, options.commandTimeout)
  const prefix = options.prefix ?? 'session:'
  if (typeof prefix !== 'string') throw new SessionConfigError('prefix must be a string')
  return {
    name: 'sanic-cookies',
    cookie: {
      name: options.cookieName ?? 'SESSION',
      path: options.path ?? '/',
      ...(options.domain === undefined ? {} : { domain: options.domain }),
    },
    verify: (value) => (SID.test(value) ? value : undefined),
    async load(id) {
      const raw = await redis.command('load', prefix + id, ['GET', prefix + id])
      if (raw === null || raw === undefined) return undefined
      let data: unknown
      try {
        data = JSON.parse(String(raw))
      } catch {
        return undefined
      }
      return typeof data === 'object' && data !== null && !Array.isArray(data)
        ? (data as SessionData)
        : undefined
    },
    async destroy(id) {
      await redis.command('destroy', prefix + id, ['DEL', prefix + id])
    },
  }
}
