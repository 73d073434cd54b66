import { diagnostics } from '../core/diagnostics.js'
import { SessionUsageError } from '../core/errors.js'
import { assertJson, assertWellFormed } from '../core/json.js'
import { seconds } from '../core/seconds.js'
import {
  type RequestInfo,
  Session,
  type SessionContext,
  type Transaction,
} from '../core/session.js'
import type { SessionData } from '../core/store.js'
import type { ResolvedAuthOptions } from './options.js'

/** Options of {@link AuthSession.login}. */
export interface LoginOptions {
  /**
   * Idle timeout of this login in whole seconds, from 1 to `MAX_SECONDS`
   * (100 years): the session ends after this long without activity, in the
   * store and in the cookie. Kept for every later write of the session.
   * @default the manager's `ttl`
   */
  duration?: number
  /**
   * `true`: a persistent cookie that outlives the browser; `false`: a
   * browser-session cookie.
   * @default the manager's `cookie.persistent`
   */
  rememberMe?: boolean
  /**
   * Keep the data the session held before login (e.g. an anonymous cart).
   * By default it is wiped.
   * @default false
   */
  keepData?: boolean
}

/** Client-controlled and stored once per session: bounded. */
const MAX_USER_AGENT_LENGTH = 512

function checkLoginOptions(options: unknown): LoginOptions {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null)
    throw new SessionUsageError('login() options must be an object')
  const { duration, rememberMe, keepData } = options as Record<string, unknown>
  if (duration !== undefined)
    seconds(duration, 'login() duration', { min: 1, integer: true }, SessionUsageError)
  for (const [name, value] of [
    ['rememberMe', rememberMe],
    ['keepData', keepData],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean')
      throw new SessionUsageError(`login() ${name} must be true or false, got ${String(value)}`)
  }
  return options as LoginOptions
}

function clearFields(tx: Transaction): void {
  for (const key of Object.keys(tx.fields)) delete tx.fields[key as keyof typeof tx.fields]
}

function clearData(tx: Transaction): void {
  for (const key of Object.keys(tx.data)) delete tx.data[key]
}

/**
 * The authenticated session of one request, attached by an adapter as
 * `req.authSession` (or the manager's `name`). Everything a `Session` does,
 * plus login and logout. The user lives beside the session's data, never in
 * it, so application code cannot overwrite it.
 *
 * @example
 * ```ts
 * app.post('/login', async (req) => {
 *   const user = await checkPassword(req.body)
 *   await req.authSession.login(user, { rememberMe: req.body.remember === 'on' })
 * })
 * app.get('/me', async (req) => ({ user: await req.authSession.currentUser() }))
 * ```
 */
export class AuthSession<
  Data extends SessionData = SessionData,
  User = unknown,
> extends Session<Data> {
  readonly #auth: ResolvedAuthOptions
  /** The manager's name, for diagnostics. */
  readonly #manager: string

  /** @internal Created by `AuthSessions.open`. */
  constructor(context: SessionContext, request: RequestInfo, auth: ResolvedAuthOptions) {
    super(context, request)
    this.#auth = auth
    this.#manager = context.options.name
  }

  /**
   * Logs `user` in. The session always gets a new id (the old one stops
   * working, which defeats session fixation); its data is wiped unless
   * `keepData`; its creation time, and so its `absoluteTimeout`, restart now.
   * Works inside or outside `lock()`: inside, it happens when the lock is released.
   *
   * @param user Any JSON value but `null`; its id (see the `userId` option) indexes the session.
   * @throws {SessionUsageError} when `user` is not JSON, is null or has no id, or an option is invalid.
   * @example
   * ```ts
   * await req.authSession.login({ id: 42, name: 'Ada' }, { duration: 3600, rememberMe: false })
   * ```
   */
  async login(user: User, options?: LoginOptions): Promise<void> {
    if (user === null || user === undefined)
      throw new SessionUsageError(`login() needs a user, got ${String(user)}`)
    assertJson(user, 'user')
    const { duration, rememberMe, keepData = false } = checkLoginOptions(options)
    const userId = this.#auth.userId(user)
    if (typeof userId !== 'string' || userId.length === 0)
      throw new SessionUsageError(
        `the userId option must return a non-empty string, got ${String(userId)}`,
      )
    assertWellFormed(userId, 'the user id')
    const stored = structuredClone(user)
    const userAgent = this.#auth.recordUserAgent
      ? this.userAgent?.slice(0, MAX_USER_AGENT_LENGTH)
      : undefined
    await this.transaction((tx) => {
      if (!keepData) clearData(tx)
      clearFields(tx)
      Object.assign(tx.fields, {
        user: stored,
        userId,
        createdAt: Date.now(),
        ...(duration === undefined ? {} : { ttl: duration }),
        ...(rememberMe === undefined ? {} : { persistent: rememberMe }),
        ...(userAgent === undefined ? {} : { userAgent }),
      })
      // markChanged first: it cancels a logout made earlier in the same lock.
      tx.markChanged()
      tx.rotate()
    })
    if (diagnostics.login.hasSubscribers)
      diagnostics.login.publish({ manager: this.#manager, userId })
  }

  /**
   * Logs out: deletes the session from every store and sends a deletion
   * cookie with the session cookie's Domain, Path, Secure and SameSite, so the
   * browser really drops it. Logging in again in the same request works.
   */
  async logout(): Promise<void> {
    const userId = await this.transaction((tx) => {
      const { userId } = tx.fields
      clearData(tx)
      clearFields(tx)
      tx.destroy()
      return userId
    })
    if (diagnostics.logout.hasSubscribers)
      diagnostics.logout.publish({ manager: this.#manager, userId })
  }

  /**
   * The logged-in user (a copy), or `undefined`. Reads the store at most once
   * per request; inside `lock()` it answers from the locked state, so it never
   * waits for the lock.
   */
  async currentUser(): Promise<User | undefined> {
    const { user } = await this.fields()
    return user === undefined ? undefined : (structuredClone(user) as User)
  }

  /** The id the logged-in user's sessions are indexed under, or `undefined`. */
  async currentUserId(): Promise<string | undefined> {
    return (await this.fields()).userId
  }

  /** Whether a user is logged in. */
  async isLoggedIn(): Promise<boolean> {
    return (await this.fields()).user !== undefined
  }
}
