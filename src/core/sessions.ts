import { boundSession } from './bound-sessions.js'
import { SessionUsageError } from './errors.js'
import { KeyedMutex } from './keyed-mutex.js'
import { type ResolvedOptions, resolveOptions, type SessionsOptions } from './options.js'
import { RetiredIds } from './retired-ids.js'
import { type RequestInfo, Session, type SessionContext } from './session.js'
import type { AnyStore, SessionData, SessionStore } from './store.js'
import { StoreGroup } from './store-group.js'

/**
 * A session manager: one cookie, one request property,
 * one primary store and any number of mirrors. Register it with an adapter.
 *
 * @example
 * ```ts
 * import { Sessions } from 'latchkey'
 * import { MemoryStore } from 'latchkey/stores/memory'
 * import { latchkey } from 'latchkey/fastify'
 *
 * const sessions = new Sessions<{ cart: string[] }>({ store: new MemoryStore() })
 * app.register(latchkey(sessions))
 * app.post('/cart', async (req) => {
 *   await using s = await req.session.lock()
 *   s.set('cart', [...(s.get('cart') ?? []), 'apple'])
 * })
 * ```
 */
export class Sessions<Data extends SessionData = SessionData> {
  /** The request property the session is attached to. */
  readonly name: string
  /** The options after defaults (durations in milliseconds). */
  readonly options: ResolvedOptions
  protected readonly context: SessionContext

  constructor(options: SessionsOptions) {
    this.options = this.resolve(options)
    this.name = this.options.name
    this.context = {
      options: this.options,
      storage: new StoreGroup(options.store, options.mirrors ?? [], this.options),
      mutex: new KeyedMutex(),
      retired: new RetiredIds(this.options.lockTimeoutMs),
    }
  }

  /** The primary store: read, locked and written. */
  get store(): AnyStore {
    return this.context.storage.primary
  }

  /** The stores that receive every write but are never read. */
  get mirrors(): readonly SessionStore[] {
    return this.context.storage.mirrors
  }

  /** Adds a mirror. */
  addMirror(store: AnyStore): void {
    this.context.storage.addMirror(store)
  }

  /**
   * Replaces the primary store. With `keepOldAsMirror`, the old primary keeps
   * receiving writes.
   * @default keepOldAsMirror false
   */
  setPrimary(store: AnyStore, options: { keepOldAsMirror?: boolean } = {}): void {
    this.context.storage.setPrimary(store, options.keepOldAsMirror ?? false)
  }

  /**
   * Adapter API: the session of one request. Does no I/O; the session reads
   * the store when first used. Finish with `session.commit()`.
   */
  open(request: RequestInfo): Session<Data> {
    return new Session<Data>(this.context, request)
  }

  /**
   * The request's session, typed by this manager's `Data`: the same session
   * as `req[sessions.name]`, without declaring `Register`. Pass what the
   * framework hands a handler: Fastify's and Express's `req`, Koa's `ctx`,
   * Hono's `c`, the `Request` of a `latchkey/fetch` handler.
   *
   * @throws {SessionUsageError} when no latchkey adapter attached this manager's sessions to it
   * @example
   * ```ts
   * const sessions = new Sessions<{ cart: string[] }>({ store: new MemoryStore() })
   * app.post('/cart', async (req) => {
   *   await using s = await sessions.of(req).lock()
   *   s.set('cart', [...(s.get('cart') ?? []), 'apple']) // string[]
   * })
   * ```
   */
  of(request: object): Session<Data> {
    return this.attached(request, Session) as Session<Data>
  }

  /** The session attached to `request` under this manager's name, checked to be a `kind`. */
  protected attached<S>(request: object, kind: abstract new (...args: never[]) => S): S {
    const holder = request as {
      [name: string]: unknown
      var?: Record<string, unknown>
      context?: Record<string, unknown>
    }
    // Hono keeps its context variables in `c.var`, h3 in `event.context`, Web `Request`s theirs
    // in a WeakMap (latchkey/fetch), the other frameworks on the object itself.
    const session =
      holder[this.name] ??
      holder.var?.[this.name] ??
      holder.context?.[this.name] ??
      boundSession(request, this)
    if (session instanceof kind) return session
    throw new SessionUsageError(
      `no session "${this.name}" on this request: register latchkey(...) with this manager before the route`,
    )
  }

  /**
   * Adapter API: whether a request's session must be opened and finished even
   * when the app never uses it. True for a client-side store when the request
   * sent cookies: a cookie sealed under an old key is re-issued under the
   * current one on the next response, so that retiring a key logs nobody out.
   */
  mustOpen(request: RequestInfo): boolean {
    return request.cookie !== undefined && this.context.storage.clientSide
  }

  /** Stops the stores' timers and connections that they own. */
  async close(): Promise<void> {
    await this.context.storage.close()
  }

  /** Validates the options and fills in defaults; subclasses resolve their own on top. */
  protected resolve(options: SessionsOptions): ResolvedOptions {
    return resolveOptions(options, this.defaults())
  }

  /** Default request property and cookie name, overridden by subclasses. */
  protected defaults(): { name: string; cookieName: string } {
    return { name: 'session', cookieName: 'SESSION' }
  }
}
