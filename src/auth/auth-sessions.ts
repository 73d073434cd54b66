import { diagnostics } from '../core/diagnostics.js'
import { SessionUsageError } from '../core/errors.js'
import { isLive } from '../core/expiry.js'
import { assertWellFormed } from '../core/json.js'
import type { ResolvedOptions, SessionsOptions } from '../core/options.js'
import type { RequestInfo } from '../core/session.js'
import { sessionReference } from '../core/session-reference.js'
import { Sessions } from '../core/sessions.js'
import type { IndexedSession, SessionData } from '../core/store.js'
import { hashSessionId } from '../crypto/ids.js'
import { AuthSession } from './auth-session.js'
import {
  type AuthSessionsOptions,
  type ResolvedAuthOptions,
  resolveAnonymousTtl,
  resolveAuthOptions,
} from './options.js'

/** One of a user's sessions, as listed by {@link AuthSessions.listSessions}. */
export interface SessionInfo {
  /**
   * A public name for the session (`sessionReference`): 16 url-safe characters
   * that are neither its id nor its stored key, for a "your devices" page and
   * {@link AuthSessions.revokeSession}; the same session keeps the same reference.
   */
  reference: string
  /** When the user logged in. */
  createdAt: Date
  /** When the session was last written or touched. */
  lastSeenAt: Date
  /** When the session ends unless used again (idle or absolute timeout, whichever comes first). */
  expiresAt: Date
  /** The browser that logged in, when `recordUserAgent` is on. */
  userAgent?: string
  /** Whether this is the session passed as `current`. */
  current: boolean
}

/**
 * Names one session: a request's `AuthSession`, or a session id (`session.id`,
 * the cookie's secret, not the hashed `id` that `listSessions` returns).
 */
// biome-ignore lint/suspicious/noExplicitAny: a session of any data and user type
export type SessionReference = AuthSession<any, any> | string

async function keyOf(reference: SessionReference | undefined): Promise<string | undefined> {
  if (reference === undefined) return undefined
  if (typeof reference === 'string') return hashSessionId(reference)
  if (!(reference instanceof AuthSession))
    throw new SessionUsageError("a session reference must be a request's AuthSession or its id")
  await reference.isLoggedIn() // loads the session, so that its id is known
  const id = reference.id
  return id === undefined ? undefined : hashSessionId(id)
}

function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.length === 0)
    throw new SessionUsageError(`userId must be a non-empty string, got ${String(userId)}`)
  assertWellFormed(userId, 'userId')
  return userId
}

/**
 * A session manager with login on top: its own
 * cookie (`SECURE_SESSION`) and request property (`authSession`), so an app
 * can run it beside a plain `Sessions`.
 *
 * Listing and revoking a user's sessions needs a primary store with a
 * per-user index (memory, Redis, PostgreSQL); the cookie store has none.
 *
 * @example
 * ```ts
 * import { AuthSessions } from 'latchkey'
 * import { MemoryStore } from 'latchkey/stores/memory'
 * import { latchkey, loginRequired } from 'latchkey/fastify'
 *
 * const auth = new AuthSessions<{ theme: string }, { id: string; name: string }>({
 *   store: new MemoryStore(),
 *   ttl: 8 * 3600,
 *   absoluteTimeout: 7 * 24 * 3600,
 * })
 * await app.register(latchkey(auth))
 * app.post('/login', async (req) => { await req.authSession.login(await verify(req.body)) })
 * app.get('/account', { preHandler: loginRequired(auth) }, async (req) => req.authSession.currentUser())
 * ```
 */
export class AuthSessions<
  Data extends SessionData = SessionData,
  User = unknown,
> extends Sessions<Data> {
  readonly #auth: ResolvedAuthOptions

  constructor(options: AuthSessionsOptions<User>) {
    super(options)
    this.#auth = resolveAuthOptions(options as AuthSessionsOptions<never>)
  }

  /** Adapter API: the auth session of one request. Does no I/O. */
  override open(request: RequestInfo): AuthSession<Data, User> {
    return new AuthSession<Data, User>(this.context, request, this.#auth)
  }

  /**
   * The request's auth session, typed by this manager's `Data` and `User`:
   * the same as `req[auth.name]`, without declaring `RegisterAuth`.
   *
   * @throws {SessionUsageError} when no latchkey adapter attached this manager's sessions to it
   * @example
   * ```ts
   * const auth = new AuthSessions<{ theme: string }, { id: string; name: string }>({ store })
   * app.get('/me', async (req) => (await auth.of(req).currentUser())?.name)
   * ```
   */
  override of(request: object): AuthSession<Data, User> {
    return this.attached(request, AuthSession) as AuthSession<Data, User>
  }

  /**
   * The live sessions of a user, most recently used first.
   *
   * @param options.current marks this session (a request's `AuthSession` or its id) as `current`.
   * @throws {SessionConfigError} when the primary store has no per-user index (the cookie store).
   * @example
   * ```ts
   * const userId = await req.authSession.currentUserId()
   * const sessions = await auth.listSessions(userId, { current: req.authSession })
   * ```
   */
  async listSessions(
    userId: string,
    options: { current?: SessionReference } = {},
  ): Promise<SessionInfo[]> {
    checkUserId(userId)
    this.context.storage.indexed()
    const currentKey = await keyOf(options.current)
    return (await this.#liveSessionsOf(userId))
      .map(({ key, record }) => ({
        reference: sessionReference(key),
        createdAt: new Date(record.createdAt),
        lastSeenAt: new Date(record.lastSeenAt),
        expiresAt: new Date(Math.min(record.expiresAt, record.absoluteExpiresAt ?? Infinity)),
        ...(record.userAgent === undefined ? {} : { userAgent: record.userAgent }),
        current: key === currentKey,
      }))
      .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
  }

  /**
   * Ends every session of a user, in the primary store and every mirror, but
   * the one named by `except` (typically the request's own, for "log out
   * everywhere else"). A request that holds one of these sessions' lock
   * cannot write it back. Returns how many sessions ended.
   *
   * @throws {SessionConfigError} when the primary store has no per-user index (the cookie store).
   * @example
   * ```ts
   * const ended = await auth.logoutEverywhere(userId, { except: req.authSession })
   * ```
   */
  async logoutEverywhere(
    userId: string,
    options: { except?: SessionReference } = {},
  ): Promise<number> {
    checkUserId(userId)
    this.context.storage.indexed()
    const exceptKey = await keyOf(options.except)
    const ended = await this.context.storage.deleteByUser(userId, exceptKey)
    if (diagnostics.revoke.hasSubscribers)
      diagnostics.revoke.publish({ manager: this.context.options.name, userId, ended })
    return ended
  }

  /**
   * Ends one session of a user, named by the `reference` that
   * {@link listSessions} gave it ("sign out" beside one device), in the primary
   * store and every mirror. A request holding that session's lock cannot write
   * it back. Resolves to `false` when the user has no live session of that
   * reference (already ended, or another user's).
   *
   * @throws {SessionConfigError} when the primary store has no per-user index (the cookie store).
   * @example
   * ```ts
   * app.post('/devices/:reference/sign-out', async (req) => {
   *   const userId = await req.authSession.currentUserId()
   *   return { ended: await auth.revokeSession(userId, req.params.reference) }
   * })
   * ```
   */
  async revokeSession(userId: string, reference: string): Promise<boolean> {
    checkUserId(userId)
    this.context.storage.indexed()
    if (typeof reference !== 'string') return false
    const found = (await this.#liveSessionsOf(userId)).find(
      ({ key }) => sessionReference(key) === reference,
    )
    if (!found) return false
    await this.context.storage.remove(found.key)
    if (diagnostics.revoke.hasSubscribers)
      diagnostics.revoke.publish({ manager: this.context.options.name, userId, ended: 1 })
    return true
  }

  /** The user's live sessions in the primary's index (which may keep stale or reused entries). */
  async #liveSessionsOf(userId: string): Promise<IndexedSession[]> {
    const now = Date.now()
    const found = await this.context.storage.listByUser(userId)
    return found.filter(({ record }) => record.userId === userId && isLive(record, now))
  }

  protected override resolve(options: SessionsOptions): ResolvedOptions {
    const resolved = super.resolve(options)
    const { anonymousTtl } = options as AuthSessionsOptions<never>
    return { ...resolved, anonymousTtlMs: resolveAnonymousTtl(anonymousTtl, resolved.ttlMs) }
  }

  protected override defaults(): { name: string; cookieName: string } {
    return { name: 'authSession', cookieName: 'SECURE_SESSION' }
  }
}
