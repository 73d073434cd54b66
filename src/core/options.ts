import { emitWarning } from './emit-warning.js'
import { messageOf, SessionConfigError, type SessionSerializerError } from './errors.js'
import type { LegacySessionSource } from './legacy-source.js'
import { legacyDeletionCookie, type Migration } from './migration.js'
import { MAX_TIMER_SECONDS, seconds } from './seconds.js'
import { jsonRecords, type RecordCodec, type Serializer, serializedRecords } from './serializer.js'
import { customIds, randomIds, type SessionIds } from './session-ids.js'
import { type AnyStore, isCookieSealer } from './store.js'

/** Cookie attributes of a manager's session cookie. */
export interface CookieOptions {
  /**
   * Cookie name. Names starting with `__Host-` are checked to be Secure, Path=/
   * and without Domain, as browsers require.
   * @default 'SESSION' (AuthSessions: 'SECURE_SESSION')
   */
  name?: string
  /** Domain attribute; omitted by default (host-only cookie). */
  domain?: string
  /** @default '/' */
  path?: string
  /** @default true */
  httpOnly?: boolean
  /**
   * Browsers accept Secure cookies from `http://localhost`; set `false` only
   * to develop over plain http on another host.
   * @default true
   */
  secure?: boolean
  /** @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none'
  /** CHIPS `Partitioned` attribute (requires `secure`). @default false */
  partitioned?: boolean
  /**
   * `true`: the cookie carries Max-Age/Expires and outlives the browser.
   * `false`: a browser-session cookie.
   * @default true
   */
  persistent?: boolean
}

/** Reports an error that did not fail the request (a mirror write, a background touch). */
export type ErrorReporter = (error: unknown, context: { store: string; operation: string }) => void

/**
 * Options shared by `Sessions` and `AuthSessions`. Durations are in seconds,
 * at most `MAX_SECONDS` (100 years); those that run as timers (`lock.timeout`,
 * `lock.lease`, `mirrorTimeout`) at most `MAX_TIMER_SECONDS` (about 24.8 days).
 */
export interface SessionsOptions {
  /** The primary store: read, locked and written. */
  store: AnyStore
  /**
   * Stores that receive every write, touch and delete of the primary, keyed by
   * the same hashed id with the same TTL (e.g. a copy for analytics). Never read.
   * @default []
   */
  mirrors?: AnyStore[]
  /**
   * `'report'`: a failing mirror is passed to `onError` and the request succeeds.
   * `'fail'`: a failing mirror fails the request with `SessionStoreError`.
   * @default 'report'
   */
  mirrorFailure?: 'report' | 'fail'
  /**
   * Seconds a commit waits for mirrors before it releases the lock and goes on;
   * a mirror still writing after that is reported as failed. At most `MAX_TIMER_SECONDS`.
   * @default 2
   */
  mirrorTimeout?: number
  /** The request property the session is attached to. @default 'session' */
  name?: string
  cookie?: CookieOptions
  /**
   * Idle timeout: seconds without a write or touch after which the session
   * ends. For `Sessions` this is every session's lifetime; `AuthSessions`
   * gives sessions nobody has logged into yet their own, `anonymousTtl`.
   * At most `MAX_SECONDS` (100 years).
   * @default 2592000 (30 days)
   */
  ttl?: number
  /** Seconds after creation (AuthSessions: after login) when the session ends regardless of activity. @default undefined (none) */
  absoluteTimeout?: number
  /**
   * A request that only reads a session older than this many seconds since its
   * last write or touch extends its expiry (store and cookie) without rewriting
   * its data. `false` turns sliding expiry off.
   * @default min(3600, ttl / 2)
   */
  touchAfter?: number | false
  lock?: {
    /** Seconds to wait for a session's lock before `SessionLockTimeoutError` (503); at most `MAX_TIMER_SECONDS`. @default 10 */
    timeout?: number
    /** Seconds a distributed lock lasts unless renewed by its live holder; at most `MAX_TIMER_SECONDS`. @default 30 */
    lease?: number
  }
  /**
   * Warn (`process.emitWarning`, code `LATCHKEY_UNLOCKED_ACCESS`, once per call
   * site) when session data is written (`set`, `delete`, `clear`) without
   * holding the lock. Reads outside the lock do not warn: alone, they lose no update.
   * @default true
   */
  warnLock?: boolean
  /** Receives errors that do not fail the request. @default emits a Node warning */
  onError?: ErrorReporter
  /**
   * Makes session ids (sanic-cookies' `sid_factory`). Each id must be a string
   * of 32 to 256 URL-safe characters (`A-Z a-z 0-9 - _`); one sample is checked
   * when the manager is made (`SessionConfigError`). Ids are stored only as
   * their SHA-256 whatever the factory gives, but their unpredictability is
   * the factory's: use a cryptographic source.
   * @default 256 random bits from `crypto.randomBytes`, base64url (43 characters)
   * @example
   * ```ts
   * new Sessions({ store, generateId: () => `eu1_${randomBytes(32).toString('base64url')}` })
   * ```
   */
  generateId?: () => string
  /**
   * Turns session data into a string and back (sanic-cookies' `encoder` /
   * `decoder`), for values JSON cannot hold (Dates, Maps, BigInts with
   * `superjson`, say). Stores then keep the data as that string: PostgreSQL
   * and MySQL a JSON string in their JSON column, the cookie store inside
   * the sealed cookie, whose size limit counts it. Values are no longer
   * checked to be JSON when set; a failing `stringify` fails the save with
   * `SessionSerializerError`, and data that fails to `parse` is an empty
   * session, reported to `onError`. The user of `AuthSessions` stays JSON.
   * Records stored as JSON before a serializer was configured are still read.
   * @default JSON: data kept as a JSON object (PostgreSQL `jsonb`, queryable)
   * @example
   * ```ts
   * import superjson from 'superjson'
   * new Sessions({ store, serializer: superjson })
   * ```
   */
  serializer?: Serializer
  /**
   * Opt-in: keeps the users of another session library logged in. A request
   * with no latchkey session but the source's cookie (verified: signature,
   * format) gets that session's data in a new latchkey session with a fresh
   * id and latchkey's cookie; the legacy session is deleted and its cookie
   * cleared, so the old cookie no longer works. Concurrent requests with the
   * same legacy cookie end on one session (see `migrationWindow`). Needs a
   * server-side primary store, which keeps the record of each migration.
   * @default undefined (no migration)
   * @example
   * ```ts
   * import { expressSessionSource } from 'latchkey/stores/express'
   * new Sessions({ store, migrateFrom: expressSessionSource({ store: oldStore, secret: process.env.SESSION_SECRET! }) })
   * ```
   */
  migrateFrom?: LegacySessionSource
  /**
   * Seconds during which a legacy cookie already migrated still leads to the
   * session it became (requests in flight when the first was answered,
   * another tab), instead of an empty session. At most `MAX_TIMER_SECONDS`.
   * @default 60
   */
  migrationWindow?: number
}

/** Options after defaults and validation. Durations in milliseconds. */
export interface ResolvedOptions {
  name: string
  cookie: Required<Omit<CookieOptions, 'domain'>> & { domain: string | undefined }
  ttlMs: number
  /** Idle timeout of a session without a user (AuthSessions); undefined: `ttlMs`. */
  anonymousTtlMs: number | undefined
  absoluteTimeoutMs: number | undefined
  touchAfterMs: number | undefined
  lockTimeoutMs: number
  lockLeaseMs: number
  warnLock: boolean
  mirrorFailure: 'report' | 'fail'
  mirrorTimeoutMs: number
  onError: ErrorReporter
  ids: SessionIds
  records: RecordCodec
  /** The legacy sessions migrated on first read (`migrateFrom`). */
  migration: Migration | undefined
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const PROPERTY_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const DOMAIN =
  /^\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/
const PATH = /^\/[\x21-\x3a\x3c-\x7e]*$/

function fail(message: string): never {
  throw new SessionConfigError(message)
}

function boolean(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') fail(`${option} must be true or false, got ${String(value)}`)
  return value
}

const defaultReporter: ErrorReporter = (error, { store, operation }) => {
  emitWarning(
    `latchkey: ${operation} on store "${store}" failed: ${messageOf(error)}`,
    'LATCHKEY_BACKGROUND_ERROR',
    'Warning',
  )
}

/** Validates options and fills in defaults; throws `SessionConfigError`. */
export function resolveOptions(
  options: SessionsOptions,
  defaults: { name: string; cookieName: string },
): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object')
  const store = options.store as unknown
  if (typeof store !== 'object' || store === null) fail('options.store is required')

  const name = options.name ?? defaults.name
  if (typeof name !== 'string' || !PROPERTY_NAME.test(name)) {
    fail(`name must be a valid property name, got ${String(name)}`)
  }

  const c = options.cookie ?? {}
  const cookieName = c.name ?? defaults.cookieName
  if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
    fail(`cookie.name must be a cookie token, got ${String(cookieName)}`)
  }
  if (c.domain !== undefined && (typeof c.domain !== 'string' || !DOMAIN.test(c.domain))) {
    fail(`cookie.domain must be a domain name, got ${String(c.domain)}`)
  }
  const path = c.path ?? '/'
  if (typeof path !== 'string' || !PATH.test(path))
    fail(`cookie.path must start with "/" and hold no ";", got ${String(path)}`)
  const sameSite = c.sameSite ?? 'lax'
  if (sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none') {
    fail(`cookie.sameSite must be 'lax', 'strict' or 'none', got ${String(sameSite)}`)
  }
  const secure = boolean(c.secure, 'cookie.secure', true)
  const partitioned = boolean(c.partitioned, 'cookie.partitioned', false)
  if (sameSite === 'none' && !secure) fail("cookie.sameSite 'none' requires cookie.secure")
  if (partitioned && !secure) fail('cookie.partitioned requires cookie.secure')
  if (cookieName.startsWith('__Host-') && (!secure || path !== '/' || c.domain !== undefined)) {
    fail('a __Host- cookie must be secure, with path "/" and no domain')
  }
  if (cookieName.startsWith('__Secure-') && !secure) fail('a __Secure- cookie must be secure')

  const ttl = seconds(options.ttl ?? 2_592_000, 'ttl', { min: 1 })
  const absoluteTimeout =
    options.absoluteTimeout === undefined
      ? undefined
      : seconds(options.absoluteTimeout, 'absoluteTimeout', { min: 1 })
  const touchAfter =
    options.touchAfter === false
      ? undefined
      : options.touchAfter === undefined
        ? Math.min(3600, ttl / 2)
        : seconds(options.touchAfter, 'touchAfter', { min: 0 })
  if (touchAfter !== undefined && touchAfter >= ttl) fail('touchAfter must be shorter than ttl')

  const lock = options.lock ?? {}
  const timer = { max: MAX_TIMER_SECONDS }
  const lockTimeout = seconds(lock.timeout ?? 10, 'lock.timeout', { ...timer, min: 0.001 })
  const lockLease = seconds(lock.lease ?? 30, 'lock.lease', { ...timer, min: 0.05 })

  const mirrorFailure = options.mirrorFailure ?? 'report'
  if (mirrorFailure !== 'report' && mirrorFailure !== 'fail') {
    fail(`mirrorFailure must be 'report' or 'fail', got ${String(mirrorFailure)}`)
  }
  const mirrorTimeout = seconds(options.mirrorTimeout ?? 2, 'mirrorTimeout', {
    ...timer,
    min: 0.001,
  })
  if (options.onError !== undefined && typeof options.onError !== 'function')
    fail('onError must be a function')
  const onError = options.onError ?? defaultReporter
  const serializer = options.serializer as Partial<Serializer> | undefined
  if (
    serializer !== undefined &&
    (typeof serializer?.stringify !== 'function' || typeof serializer.parse !== 'function')
  )
    fail('serializer must have stringify(data) and parse(text) functions')
  const report = (error: SessionSerializerError, store: string) =>
    onError(error, { store, operation: 'parse' })

  return {
    migration: resolveMigration(options),
    name,
    cookie: {
      name: cookieName,
      domain: c.domain,
      path,
      httpOnly: boolean(c.httpOnly, 'cookie.httpOnly', true),
      secure,
      sameSite,
      partitioned,
      persistent: boolean(c.persistent, 'cookie.persistent', true),
    },
    ttlMs: ttl * 1000,
    anonymousTtlMs: undefined,
    absoluteTimeoutMs: absoluteTimeout === undefined ? undefined : absoluteTimeout * 1000,
    touchAfterMs: touchAfter === undefined ? undefined : touchAfter * 1000,
    lockTimeoutMs: lockTimeout * 1000,
    lockLeaseMs: lockLease * 1000,
    warnLock: boolean(options.warnLock, 'warnLock', true),
    mirrorFailure,
    mirrorTimeoutMs: mirrorTimeout * 1000,
    onError,
    ids: options.generateId === undefined ? randomIds : customIds(options.generateId),
    records:
      serializer === undefined
        ? jsonRecords(report)
        : serializedRecords(serializer as Serializer, report),
  }
}

function resolveMigration(options: SessionsOptions): Migration | undefined {
  const source = options.migrateFrom as Partial<LegacySessionSource> | undefined
  const windowSeconds = seconds(options.migrationWindow ?? 60, 'migrationWindow', {
    min: 1,
    max: MAX_TIMER_SECONDS,
  })
  if (source === undefined) return undefined
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof source.name !== 'string' ||
    typeof source.verify !== 'function' ||
    typeof source.load !== 'function' ||
    typeof source.destroy !== 'function'
  )
    fail('migrateFrom must be a legacy session source: { name, cookie, verify, load, destroy }')
  const cookie = source.cookie
  if (typeof cookie?.name !== 'string' || !COOKIE_NAME.test(cookie.name))
    fail(`migrateFrom.cookie.name must be a cookie token, got ${String(cookie?.name)}`)
  if (cookie.path !== undefined && (typeof cookie.path !== 'string' || !PATH.test(cookie.path)))
    fail(`migrateFrom.cookie.path must start with "/" and hold no ";", got ${String(cookie.path)}`)
  if (
    cookie.domain !== undefined &&
    (typeof cookie.domain !== 'string' || !DOMAIN.test(cookie.domain))
  )
    fail(`migrateFrom.cookie.domain must be a domain name, got ${String(cookie.domain)}`)
  if (isCookieSealer(options.store))
    fail(
      `migrateFrom needs a server-side primary store to record migrations; "${options.store.name}" keeps sessions in the cookie`,
    )
  const resolved = source as LegacySessionSource
  return {
    source: resolved,
    windowMs: windowSeconds * 1000,
    deletion: legacyDeletionCookie(resolved.cookie),
  }
}
