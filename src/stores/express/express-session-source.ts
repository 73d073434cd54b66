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
  return signedCookieSource(
    {
      library: 'express-session',
      source: 'expressSessionSource',
      prefix: 's:',
      name: 'connect.sid',
    },
    options,
  )
}

/**
 * @fastify/session's sessions as a source for the manager's `migrateFrom`: its
 * signed cookie (`<id>.<signature>`, @fastify/cookie's signer: HMAC-SHA256,
 * base64 without padding) is verified with the app's secrets, and the session
 * read from its store, which takes express-session's store API (connect-redis,
 * connect-pg-simple, ...). The options are those of express-session's source;
 * `name` is @fastify/session's `cookieName`.
 *
 * @throws {SessionConfigError} when `store` is not a session store or no secret is given
 * @example
 * ```ts
 * const sessions = new Sessions({
 *   store: new RedisStore({ client }),
 *   migrateFrom: fastifySessionSource({ store: new ConnectRedisStore({ client }), secret: process.env.SESSION_SECRET! }),
 * })
 * ```
 */
export function fastifySessionSource(options: FastifySessionSourceOptions): LegacySessionSource {
  return signedCookieSource(
    { library: '@fastify/session', source: 'fastifySessionSource', prefix: '', name: 'sessionId' },
    options,
  )
}

/** Options of {@link fastifySessionSource}: those given to @fastify/session, where they matter. */
export interface FastifySessionSourceOptions extends ExpressSessionSourceOptions {
  /** @fastify/session's `cookieName`. @default 'sessionId' */
  name?: string
}

/** A library's signed cookie (`prefix` + `id.signature`) and its default name, for its source `source`. */
interface SignedCookieLibrary {
  library: string
  source: string
  prefix: string
  name: string
}

/** A session store behind a cookie that carries `prefix` + `id.signature`. */
function signedCookieSource(
  { library, source, prefix, name: defaultName }: SignedCookieLibrary,
  options: ExpressSessionSourceOptions,
): LegacySessionSource {
  const { store } = options
  const candidate = store as Partial<ExpressSessionStoreLike> | null
  if (typeof candidate?.get !== 'function' || typeof candidate.destroy !== 'function')
    throw new SessionConfigError(
      `${source} needs the ${library} store as \`store\`, with get(sid, cb) and destroy(sid, cb)`,
    )
  const secrets =
    typeof options.secret === 'string' ? [options.secret] : [...(options.secret ?? [])]
  if (secrets.length === 0 || secrets.some((secret) => typeof secret !== 'string' || secret === ''))
    throw new SessionConfigError(
      `${source} needs ${library}'s \`secret\`: a non-empty string or list of strings`,
    )
  return {
    name: library,
    cookie: {
      name: options.name ?? defaultName,
      path: options.cookie?.path ?? '/',
      ...(options.cookie?.domain === undefined ? {} : { domain: options.cookie.domain }),
    },
    verify(value) {
      if (!value.startsWith(prefix)) return undefined
      return unsignCookieValue(value.slice(prefix.length), secrets)
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
