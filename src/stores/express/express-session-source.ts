import { SessionConfigError } from '../../core/errors.js'
import type { LegacySessionSource } from '../../core/legacy-source.js'
import type { SessionData } from '../../core/store.js'
import { unsignCookieValue } from '../../crypto/cookie-signature.js'
import { callStore, type ExpressSessionStoreLike } from './express-session-store.js'

/** Options of {@link expressSessionSource}: those given to express-session, where they matter. */
export interface ExpressSessionSourceOptions {
  /** The express-session store that holds the sessions (connect-redis, connect-pg-simple, ...). */
  store: ExpressSessionStoreLike
  /**
   * express-session's `secret`: the cookies' signing secret, or its list
   * (every one verifies, as in express-session, so a rotated-out secret can stay listed).
   */
  secret: string | readonly string[]
  /** express-session's `name`: the cookie's name. @default 'connect.sid' */
  name?: string
  /** express-session's `cookie.path` and `cookie.domain`, which the deletion of the old cookie repeats. */
  cookie?: { path?: string; domain?: string }
}

/**
 * express-session's sessions as a source for the manager's `migrateFrom`:
 * its signed cookie (`s:<id>.<signature>`, URL-encoded) is verified with the
 * app's secrets, and the session read from its store. The data moves without
 * express-session's `cookie` field; everything else, `passport` included, as it is.
 *
 * @throws {SessionConfigError} when `store` is not an express-session store or no secret is given
 * @example
 * ```ts
 * const sessions = new Sessions({
 *   store: new RedisStore({ client }),
 *   migrateFrom: expressSessionSource({ store: new ConnectRedisStore({ client }), secret: ['new', 'old'] }),
 * })
 * ```
 */
export function expressSessionSource(options: ExpressSessionSourceOptions): LegacySessionSource {
  const { store } = options
  const candidate = store as Partial<ExpressSessionStoreLike> | null
  if (typeof candidate?.get !== 'function' || typeof candidate.destroy !== 'function')
    throw new SessionConfigError(
      'expressSessionSource needs the express-session store as `store`, with get(sid, cb) and destroy(sid, cb)',
    )
  const secrets =
    typeof options.secret === 'string' ? [options.secret] : [...(options.secret ?? [])]
  if (secrets.length === 0 || secrets.some((secret) => typeof secret !== 'string' || secret === ''))
    throw new SessionConfigError(
      "expressSessionSource needs express-session's `secret`: a non-empty string or list of strings",
    )
  return {
    name: 'express-session',
    cookie: {
      name: options.name ?? 'connect.sid',
      path: options.cookie?.path ?? '/',
      ...(options.cookie?.domain === undefined ? {} : { domain: options.cookie.domain }),
    },
    verify(value) {
      if (!value.startsWith('s:')) return undefined
      return unsignCookieValue(value.slice(2), secrets)
    },
    async load(id) {
      const session = await callStore<unknown>((cb) => store.get(id, cb))
      if (typeof session !== 'object' || session === null) return undefined
      const { cookie, ...data } = session as SessionData & { cookie?: { expires?: unknown } }
      // Stores expire sessions by their own TTL; one that keeps them past it leaves this check.
      const expires = cookie?.expires
      if (expires != null && new Date(expires as string).getTime() <= Date.now()) return undefined
      return data
    },
    async destroy(id) {
      await callStore((cb) => store.destroy(id, cb))
    },
  }
}
