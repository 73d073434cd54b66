import { isDeepStrictEqual } from 'node:util'
import type { Request, RequestHandler } from 'express'
import { AuthSession, type LoginOptions } from '../../auth/auth-session.js'
import { SessionConfigError, SessionUsageError } from '../../core/errors.js'
import type { ResolvedOptions } from '../../core/options.js'
import type { Session } from '../../core/session.js'
import { Sessions } from '../../core/sessions.js'
import type { AnySessions } from '../shared.js'
import { beforeHeldHeaders } from './before-headers.js'

/** Where Passport keeps its login in the session: `req.session.passport.user`. */
const PASSPORT = 'passport'

type Callback = (error?: unknown) => void
type Data = Record<string, unknown>

/**
 * The `cookie` of an {@link ExpressCompatSession}: express-session's fields,
 * read from the manager's cookie options. `maxAge` (milliseconds) and
 * `expires` can be set with `AuthSessions` in a request that has a logged-in
 * user; they become that login's `duration` and `rememberMe` (see
 * `AuthSession.login`), which logs the user in again under a new id.
 */
export class ExpressCompatCookie {
  readonly #request: CompatRequest
  readonly #options: ResolvedOptions['cookie']
  readonly #ttlMs: number

  /** @internal */
  constructor(request: CompatRequest, options: ResolvedOptions) {
    this.#request = request
    this.#options = options.cookie
    this.#ttlMs = options.ttlMs
  }

  get path(): string {
    return this.#options.path
  }
  get domain(): string | undefined {
    return this.#options.domain
  }
  get secure(): boolean {
    return this.#options.secure
  }
  get httpOnly(): boolean {
    return this.#options.httpOnly
  }
  get sameSite(): string {
    return this.#options.sameSite
  }

  /** Milliseconds the cookie lives after this response; null for a browser-session cookie. */
  get originalMaxAge(): number | null {
    const { lifetime } = this.#request
    if (lifetime) return lifetime.rememberMe ? (lifetime.duration ?? 0) * 1000 : null
    return this.#options.persistent ? this.#ttlMs : null
  }

  get maxAge(): number | null {
    return this.originalMaxAge
  }

  /**
   * Milliseconds, rounded up to whole seconds; `null` for a browser-session cookie.
   * @throws {SessionUsageError} without `AuthSessions`, or for a value that is not a positive number.
   */
  set maxAge(ms: number | null) {
    if (ms === null) this.#request.setLifetime({ rememberMe: false })
    else if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0)
      this.#request.setLifetime({ rememberMe: true, duration: Math.ceil(ms / 1000) })
    else throw new SessionUsageError(`cookie.maxAge must be a positive number or null, got ${ms}`)
  }

  get expires(): Date | null {
    const maxAge = this.maxAge
    return maxAge === null ? null : new Date(Date.now() + maxAge)
  }

  /** A `Date`; `false` or `null` for a browser-session cookie. */
  set expires(date: Date | false | null) {
    if (date === false || date === null) this.maxAge = null
    else if (date instanceof Date) this.maxAge = date.getTime() - Date.now()
    else throw new SessionUsageError(`cookie.expires must be a Date, false or null, got ${date}`)
  }
}

/**
 * `req.session` under {@link expressSessionCompat}: the session's data as
 * plain properties, with express-session's methods. Data keys named like its
 * methods and accessors (`id`, `cookie`, `save`, …) cannot be used.
 */
export class ExpressCompatSession {
  [key: string]: unknown
  readonly #request: CompatRequest

  /** @internal */
  constructor(request: CompatRequest, data: Data) {
    this.#request = request
    Object.assign(this, data)
  }

  /** The session id, as in the cookie; undefined until a new session is saved. */
  get id(): string | undefined {
    return this.#request.session.id
  }

  get cookie(): ExpressCompatCookie {
    return this.#request.cookie
  }

  /**
   * Starts a new session: the stored one is deleted (logged out with
   * `AuthSessions`) and `req.session` becomes a new, empty one. What is set on
   * it is saved under a new id.
   */
  regenerate(callback?: Callback): this {
    settle(this.#request.regenerate(), callback)
    return this
  }

  /** Writes what changed now (the response also does). */
  save(callback?: Callback): this {
    settle(this.#request.save(), callback)
    return this
  }

  /** Deletes the session (logs out with `AuthSessions`); `req.session` is then gone. */
  destroy(callback?: Callback): this {
    settle(this.#request.destroy(), callback)
    return this
  }

  /** Reads the session again under its lock; changes not saved are dropped. */
  reload(callback?: Callback): this {
    settle(this.#request.reload(), callback)
    return this
  }

  /** Extends the session's expiry at the end of the request. */
  touch(): this {
    this.#request.session.touch()
    return this
  }
}

function settle(done: Promise<void>, callback: Callback | undefined): void {
  done.then(
    () => callback?.(),
    (error: unknown) => {
      if (callback) callback(error)
      else console.error('latchkey: an express-session call failed', error)
    },
  )
}

/** The compatibility state of one request, shared by its `req.session` objects. */
class CompatRequest {
  readonly req: Request
  readonly session: Session
  readonly auth: AuthSession | undefined
  readonly cookie: ExpressCompatCookie
  current: ExpressCompatSession | undefined
  /** The stored data as last read or written (without Passport's user under AuthSessions). */
  base: Data = {}
  /** The logged-in user as last read or written (AuthSessions). */
  user: unknown
  lifetime: Pick<LoginOptions, 'duration' | 'rememberMe'> | undefined
  lifetimeChanged = false
  #queue: Promise<void> = Promise.resolve()
  /** Calls queued or running. */
  #pending = 0

  constructor(req: Request, session: Session, options: ResolvedOptions) {
    this.req = req
    this.session = session
    this.auth = session instanceof AuthSession ? session : undefined
    this.cookie = new ExpressCompatCookie(this, options)
    // express-session's name for the id, which some middleware reads.
    Object.defineProperty(req, 'sessionID', {
      get: () => session.id,
      configurable: true,
      enumerable: true,
    })
  }

  setLifetime(lifetime: Pick<LoginOptions, 'duration' | 'rememberMe'>): void {
    if (!this.auth)
      throw new SessionUsageError(
        'req.session.cookie.maxAge and expires map to login({ duration, rememberMe }) and need an AuthSessions manager',
      )
    this.lifetime = lifetime
    this.lifetimeChanged = true
  }

  /** Reads the session (one store read) and gives the request its `req.session`. */
  async load(): Promise<void> {
    this.base = await this.session.all()
    this.user = this.auth ? await this.auth.currentUser() : undefined
    await this.#adoptPassportLogin()
    this.#replace(this.#withUser(this.base, this.user))
  }

  /**
   * A session holding Passport's user as data but no latchkey login (one moved
   * from express-session by `migrateFrom`): the user becomes the login now, so
   * that latchkey's guards see it on this very request, not one request later.
   */
  async #adoptPassportLogin(): Promise<void> {
    const { auth } = this
    if (!auth || this.user !== undefined) return
    const { data, user } = this.#split(this.base)
    if (user === undefined) return
    await this.session.withLock(async (locked) => {
      await auth.login(user, { keepData: true })
      const rest = data[PASSPORT]
      if (rest === undefined) locked.delete(PASSPORT)
      else locked.set(PASSPORT, rest)
    })
    this.base = data
    this.user = user
  }

  save(): Promise<void> {
    return this.#serially(() => this.#write())
  }

  regenerate(): Promise<void> {
    return this.#serially(async () => {
      await this.#end()
      this.#replace({})
    })
  }

  destroy(): Promise<void> {
    return this.#serially(async () => {
      await this.#end()
      this.current = undefined
      delete (this.req as { session?: unknown }).session
    })
  }

  reload(): Promise<void> {
    return this.#serially(async () => {
      const { data, user } = await this.session.withLock(async (locked) => ({
        data: locked.all(),
        user: this.auth ? await this.auth.currentUser() : undefined,
      }))
      this.base = data
      this.user = user
      this.#replace(this.#withUser(data, user))
    })
  }

  /** Whether the response must wait for a call still running, or write. */
  mustSave(): boolean {
    return this.#pending > 0 || this.changed()
  }

  /** The request's `req.session`, unless the app replaced it (`req.session = null` saves nothing, as in express-session). */
  #live(): ExpressCompatSession | undefined {
    const { current } = this
    return current && (this.req as { session?: unknown }).session === current ? current : undefined
  }

  /** Whether the response must write: the data or the user differ from what was read or saved. */
  changed(): boolean {
    const session = this.#live()
    if (!session) return false
    const { data, user } = this.#split(session)
    return (
      this.lifetimeChanged ||
      !isDeepStrictEqual(user, this.user) ||
      diff(this.base, data).length > 0
    )
  }

  /** Runs calls one after another: Passport's `save` may still run when the response starts. */
  #serially(call: () => Promise<void>): Promise<void> {
    this.#pending++
    const next = this.#queue.then(call).finally(() => this.#pending--)
    this.#queue = next.catch(() => {})
    return next
  }

  /** Deletes the stored session: a logout with AuthSessions, so its per-user index forgets it. */
  async #end(): Promise<void> {
    if (this.auth && this.user !== undefined) await this.auth.logout()
    else await this.session.destroy()
    this.base = {}
    this.user = undefined
  }

  /**
   * Writes what changed under the session's lock, key by key onto the data read
   * fresh under it, as latchkey's unlocked writes do: concurrent requests that
   * change other keys lose nothing. A session rotated or deleted since this
   * request read it (a logout) is not written back.
   */
  async #write(): Promise<void> {
    const session = this.#live()
    if (!session || !this.changed()) return
    const { data, user } = this.#split(session)
    const { auth } = this
    if (auth && user === undefined && this.user !== undefined) {
      await auth.logout()
      this.base = {}
      this.user = undefined
    }
    const changes = diff(this.base, data)
    if (this.lifetimeChanged && user === undefined)
      throw new SessionUsageError(
        'req.session.cookie.maxAge and expires apply to a login: set them in a request with a logged-in user',
      )
    const login =
      auth !== undefined &&
      user !== undefined &&
      (this.lifetimeChanged || !isDeepStrictEqual(user, this.user))
    if (changes.length > 0 || login) {
      await this.session.withLock(async (locked) => {
        if (login && auth) await auth.login(user, { keepData: true, ...this.lifetime })
        for (const key of changes) {
          if (data[key] === undefined) locked.delete(key)
          else locked.set(key, data[key])
        }
      })
    }
    this.base = structuredClone(data)
    this.user = structuredClone(user)
    this.lifetimeChanged = false
  }

  #replace(data: Data): void {
    const session = new ExpressCompatSession(this, structuredClone(shown(data)))
    this.current = session
    Object.defineProperty(this.req, 'session', {
      value: session,
      writable: true,
      configurable: true,
      enumerable: true,
    })
  }

  /** The data with Passport's user put back where Passport looks for it. */
  #withUser(data: Data, user: unknown): Data {
    if (user === undefined) return data
    const passport = data[PASSPORT]
    return { ...data, [PASSPORT]: { ...(isObject(passport) ? passport : {}), user } }
  }

  /** The data to store and, under AuthSessions, Passport's user (kept as the login instead). */
  #split(session: ExpressCompatSession | Data): { data: Data; user: unknown } {
    const data: Data = { ...session }
    const passport = data[PASSPORT]
    if (!this.auth || !isObject(passport)) return { data, user: undefined }
    const { user, ...rest } = passport
    if (Object.keys(rest).length > 0) data[PASSPORT] = rest
    else delete data[PASSPORT]
    return { data, user }
  }
}

/**
 * Data keys that `req.session` cannot show, as its methods and accessors have
 * those names: a stored value under one is neither shown nor removed.
 */
const RESERVED = new Set([
  ...Object.getOwnPropertyNames(ExpressCompatSession.prototype),
  '__proto__',
])

function shown(data: Data): Data {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !RESERVED.has(key)))
}

/** The keys whose values differ between `before` and `after` (undefined: removed). */
function diff(before: Data, after: Data): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter(
    (key) => !RESERVED.has(key) && !isDeepStrictEqual(before[key], after[key]),
  )
}

function isObject(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Opt-in express-session compatibility, for Passport and other middleware
 * written for express-session: gives `req.session` express-session's surface
 * (data as properties; `regenerate`, `save`, `destroy`, `reload`, `touch`,
 * `cookie`, `id`) over the latchkey session of `manager`. Mount it after
 * `latchkey(manager)`; it reads the session once before the routes run.
 *
 * What changed is written at `save()` and when the response starts, key by
 * key under the session's lock (keys this request did not change keep what
 * concurrent requests wrote). Property access cannot hold the lock across a
 * read-modify-write: for that, lock the latchkey session itself
 * (`manager.of(req).lock()`), which stays at `req[manager.name]`.
 *
 * With `AuthSessions`, Passport's `req.session.passport.user` is the login:
 * Passport's `req.login()` is `AuthSession.login` (a new id, the per-user
 * index, `logoutEverywhere`) and `req.logout()` is `AuthSession.logout`.
 *
 * @param manager The manager mounted with `latchkey()`; its `name` must not be `session`.
 * @throws {SessionConfigError} when `manager` is not a manager or is named `session`.
 * @example
 * ```ts
 * const auth = new AuthSessions({ store })
 * app.use(latchkey(auth), expressSessionCompat(auth))
 * app.use(passport.session())
 * ```
 */
export function expressSessionCompat(manager: AnySessions): RequestHandler {
  if (!(manager instanceof Sessions))
    throw new SessionConfigError(
      'expressSessionCompat() needs the Sessions or AuthSessions manager',
    )
  if (manager.name === 'session')
    throw new SessionConfigError(
      "expressSessionCompat() puts express-session's req.session in place: give the manager another name (name: 'latchkey')",
    )
  const options = manager.options
  return (req, res, next) => {
    if (Object.hasOwn(req, 'session'))
      return next(
        new SessionUsageError(
          'req.session is taken already: mount expressSessionCompat() once, without express-session or a latchkey manager named "session"',
        ),
      )
    let session: Session
    try {
      session = manager.of(req)
    } catch (error) {
      return next(error)
    }
    const request = new CompatRequest(req, session, options)
    if (!beforeHeldHeaders(res, () => write(request)))
      return next(
        new SessionUsageError('mount expressSessionCompat() after latchkey(), in the same app'),
      )
    request.load().then(() => next(), next)
  }
}

function write(request: CompatRequest): readonly string[] | Promise<readonly string[]> {
  if (!request.mustSave()) return []
  return request.save().then(() => [])
}

/**
 * The request's `req.session` under {@link expressSessionCompat}, typed: with
 * latchkey/express, TypeScript types `req.session` as latchkey's `Session`.
 *
 * @throws {SessionUsageError} when expressSessionCompat() did not run for `req` (or it was destroyed).
 * @example
 * ```ts
 * const session = expressSession<{ views?: number }>(req)
 * session.views = (session.views ?? 0) + 1
 * ```
 */
export function expressSession<Data extends Record<string, unknown> = Record<string, unknown>>(
  req: Request,
): ExpressCompatSession & Partial<Data> {
  const session = (req as { session?: unknown }).session
  if (session instanceof ExpressCompatSession)
    return session as ExpressCompatSession & Partial<Data>
  throw new SessionUsageError(
    'req.session is not an express-session one: mount expressSessionCompat(manager) after latchkey(manager)',
  )
}
