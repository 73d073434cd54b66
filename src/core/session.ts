import type { RequestInfo, SessionContext, Transaction } from './context.js'
import { SessionUsageError } from './errors.js'
import { markCookieSent, nextExpiry, ttlSeconds } from './expiry.js'
import { FLASH_KEY, type FlashMessage, flashEntry, pendingFlashes, withFlash } from './flash.js'
import { assertEntry } from './json.js'
import { acquire, lockAccess, releaseLevel, replayDelta, transactionOf } from './lock.js'
import { type LockAccess, LockedSession } from './locked-session.js'
import type { ResolvedOptions } from './options.js'
import { type ControlFields, copyControlFields } from './record.js'
import { DELETED, type Held, RESOLVED, RequestState } from './request-state.js'
import type { SessionData, SessionRecord } from './store.js'
import {
  MIXED_ACCESS,
  MIXED_ACCESS_MESSAGE,
  STATELESS_LOCK,
  STATELESS_LOCK_MESSAGE,
  UNLOCKED_ACCESS,
  UNLOCKED_ACCESS_MESSAGE,
  warnOncePerCallSite,
} from './warnings.js'

export type { RequestInfo, SessionContext, Transaction } from './context.js'
export type { FlashMessage } from './flash.js'
export { LockedSession } from './locked-session.js'

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function'
}

/**
 * The session of one request, attached by an adapter
 * as `req.session` (or the manager's `name`).
 *
 * Nothing is read until the session is used. Reads and writes made here,
 * outside a lock, are async: the first one reads the primary store once for the
 * request; writes are applied at the end of the request, key by key, onto the
 * freshest record (last writer wins per key). For read-modify-write, take the
 * lock:
 *
 * @example
 * ```ts
 * await using s = await req.session.lock()
 * s.set('count', (s.get('count') ?? 0) + 1)
 * // saved and unlocked here, also when the block throws
 * ```
 */
export class Session<Data extends SessionData = SessionData> {
  readonly #state: RequestState
  #access: LockAccess | undefined
  #committed = false

  constructor(context: SessionContext, request: RequestInfo) {
    this.#state = new RequestState(context, request)
  }

  /**
   * The session id, once known: after the session was loaded or locked and
   * found, or after a new session was first saved. `undefined` for a new session.
   */
  get id(): string | undefined {
    return this.#state.id
  }

  /** True until the session exists in the store (known after the first read or lock). */
  get isNew(): boolean {
    return this.#state.isNew
  }

  /** Whether this request holds the session's lock. */
  get isLocked(): boolean {
    return this.#state.held !== undefined
  }

  /** Reads a value (one store read per request at most). */
  async get<K extends keyof Data & string>(key: K): Promise<Data[K] | undefined> {
    await this.#loaded()
    return this.#state.data[key] as Data[K] | undefined
  }

  /** Whether `key` holds a value. */
  async has(key: keyof Data & string): Promise<boolean> {
    await this.#loaded()
    return Object.hasOwn(this.#state.data, key)
  }

  /** The keys that hold values. */
  async keys(): Promise<Array<keyof Data & string>> {
    await this.#loaded()
    return Object.keys(this.#state.data) as Array<keyof Data & string>
  }

  /** A shallow copy of all data. */
  async all(): Promise<Partial<Data>> {
    await this.#loaded()
    return { ...this.#state.data } as Partial<Data>
  }

  /**
   * Sets a value (saved at the end of the request). Values must be JSON,
   * unless the manager has a custom `serializer`.
   */
  async set<K extends keyof Data & string>(key: K, value: Data[K]): Promise<void> {
    if (this.#state.context.options.records.json) assertEntry(key, value)
    await this.#unlockedWrite()
    this.#state.write(key, value)
  }

  /** Removes a value (saved at the end of the request). */
  async delete(key: keyof Data & string): Promise<void> {
    await this.#unlockedWrite()
    this.#state.write(key, DELETED)
  }

  /** Removes every value; an emptied session is deleted at the end of the request. */
  async clear(): Promise<void> {
    await this.#unlockedWrite()
    const state = this.#state
    if (state.held) {
      state.clearLocked()
      return
    }
    state.data = {}
    state.delta = undefined
    state.cleared = true
    state.pending()
  }

  /**
   * Takes the session's lock: waits for other requests of this session (in this
   * process and, when the store can lock, in every process) at most
   * `lock.timeout` seconds, then re-reads the session from the primary store.
   * The returned handle saves (when changed) and unlocks when disposed or
   * released, also when the code using it throws. Calling `lock()` again in the
   * same request joins the lock held (its data, its one save); called while
   * that lock is being released, it waits for the release and locks anew.
   *
   * @throws {SessionLockTimeoutError} when the wait exceeds `lock.timeout` (503).
   * @example
   * ```ts
   * await using s = await req.session.lock()
   * s.set('cart', [...(s.get('cart') ?? []), item])
   * ```
   */
  async lock(): Promise<LockedSession<Data>> {
    this.#beforeLock()
    await acquire(this.#state)
    // withLock and transactions release before they return; a handle may outlive the handler.
    this.#state.pending()
    return this.#handle()
  }

  /**
   * Runs `fn` holding the lock; saves when changed and unlocks afterwards,
   * also when `fn` throws. Returns what `fn` returns.
   *
   * @example
   * ```ts
   * const n = await req.session.withLock((s) => {
   *   const n = (s.get('n') ?? 0) + 1
   *   s.set('n', n)
   *   return n
   * })
   * ```
   */
  async withLock<T>(fn: (session: LockedSession<Data>) => T | Promise<T>): Promise<T> {
    this.#beforeLock()
    await acquire(this.#state)
    const handle = this.#handle()
    let result: T
    try {
      const returned = fn(handle)
      // A synchronous fn (the usual case) is not awaited: one turn of the event loop less.
      result = isThenable(returned) ? await returned : returned
    } catch (error) {
      await handle.release()
      throw error
    }
    await handle.release()
    return result
  }

  /**
   * Gives the session a new id and keeps its data; the old id stops working.
   * Inside a lock it happens when the lock is released.
   */
  async regenerate(): Promise<void> {
    await this.transaction((tx) => tx.rotate())
  }

  /**
   * Leaves a message for a later request of this session, typically the page
   * after a redirect ("Saved."): {@link flashes} reads it once. Written under
   * the session's lock, so messages of concurrent requests are all kept. They
   * wait in the session's data under the key `latchkey.flash` (at most 20, the
   * oldest dropped first); a `login()` without `keepData` clears them, so flash
   * after logging in.
   *
   * @throws {SessionUsageError} when `type` is not 1–64 characters or `message` not a string of at most 2048
   * @example
   * ```ts
   * await req.session.flash('success', 'Your changes were saved.')
   * return reply.redirect('/settings', 303)
   * ```
   */
  async flash(type: string, message: string): Promise<void> {
    const entry = flashEntry(type, message)
    await this.withLock((s) => {
      const raw = s as unknown as LockedSession<Record<string, unknown>>
      raw.set(FLASH_KEY, withFlash(pendingFlashes(raw.get(FLASH_KEY)), entry))
    })
  }

  /**
   * Takes the messages left by {@link flash}, oldest first (only those of
   * `type`, when given): each is returned once, to one request, even when
   * several requests of the session ask at the same time. With no message
   * waiting it only reads, and takes no lock.
   *
   * @example
   * ```ts
   * const notices = await req.session.flashes() // [{ type: 'success', message: 'Your changes were saved.' }]
   * ```
   */
  async flashes<Type extends string = string>(type?: Type): Promise<Array<FlashMessage<Type>>> {
    await this.#loaded()
    if (pendingFlashes(this.#state.data[FLASH_KEY]).length === 0) return []
    return this.withLock((s) => {
      const raw = s as unknown as LockedSession<Record<string, unknown>>
      const pending = pendingFlashes(raw.get(FLASH_KEY))
      const taken = pending.filter((entry) => type === undefined || entry.type === type)
      const kept = pending.filter((entry) => !taken.includes(entry))
      if (taken.length > 0) {
        if (kept.length > 0) raw.set(FLASH_KEY, kept)
        else raw.delete(FLASH_KEY)
      }
      return taken as Array<FlashMessage<Type>>
    })
  }

  /** Deletes the session from every store and sends a deletion cookie. */
  async destroy(): Promise<void> {
    await this.transaction((tx) => tx.destroy())
  }

  /** Extends the session's expiry (store and cookie) at the end of the request, without rewriting data. */
  touch(): void {
    this.#state.touchRequested = true
    this.#state.pending()
  }

  /**
   * Adapter API: finishes the request. Releases a lock still held, saves
   * changes made outside a lock, touches the session when due, and returns the
   * `Set-Cookie` values to send (none when nothing changed). Call once, before
   * the response headers are written.
   */
  async commit(): Promise<string[]> {
    if (this.#committed) throw new SessionUsageError('commit() was already called for this request')
    this.#committed = true
    const state = this.#state
    while (state.held) await releaseLevel(state, state.held.generation)
    if (state.delta || state.cleared) await this.#applyDelta()
    else await this.#touchIfDue()
    return this.#state.setCookie()
  }

  /**
   * Adapter API: `commit()`, answered synchronously when finishing needs no
   * I/O — an untouched session, a read-only one not due for a touch, one saved
   * under its lock already — so adapters skip a promise on the hot path.
   */
  finish(): string[] | Promise<string[]> {
    const state = this.#state
    const settled =
      !this.#committed &&
      !state.held &&
      state.delta === undefined &&
      !state.cleared &&
      (state.loaded || state.loading === undefined) &&
      !this.#state.touchDue()
    if (!settled) return this.commit()
    this.#committed = true
    try {
      return this.#state.setCookie()
    } catch (error) {
      return Promise.reject(error)
    }
  }

  // ---- for subclasses (AuthSession) ----

  /**
   * Runs `fn` on the locked state, joining the lock if this request holds it
   * and taking it for the duration of `fn` otherwise. Changes made outside a
   * lock in this request are kept (replayed first).
   */
  protected async transaction<T>(fn: (tx: Transaction) => T): Promise<T> {
    const state = this.#state
    if (state.held) return fn(transactionOf(state, state.held))
    await acquire(state)
    const held = state.held as Held | undefined
    if (!held) throw new SessionUsageError('lock was not acquired')
    try {
      replayDelta(state, held)
      return fn(transactionOf(state, held))
    } finally {
      await releaseLevel(state, held.generation)
    }
  }

  /** The stored record's control fields, read once per request (or from the lock held). */
  protected async fields(): Promise<Partial<ControlFields>> {
    const state = this.#state
    if (state.held) return state.held.fields
    await state.load()
    return state.base ? copyControlFields(state.base, {}) : {}
  }

  /** The `User-Agent` of this request. */
  protected get userAgent(): string | undefined {
    return this.#state.request.userAgent
  }

  /** The manager's resolved options. */
  protected get options(): ResolvedOptions {
    return this.#state.context.options
  }

  // ---- internals ----

  #handle(): LockedSession<Data> {
    const state = this.#state
    this.#access ??= lockAccess(state)
    return new LockedSession<Data>(this.#access, state.held?.generation ?? 0)
  }

  /** What `lock()` checks first: unlocked writes it discards, a lock that only holds in-process. */
  #beforeLock(): void {
    const state = this.#state
    if (!state.held && (state.delta || state.cleared)) {
      warnOncePerCallSite(MIXED_ACCESS, MIXED_ACCESS_MESSAGE)
      state.discardDelta()
    }
    if (state.context.storage.clientSide && state.context.options.warnLock) {
      warnOncePerCallSite(STATELESS_LOCK, STATELESS_LOCK_MESSAGE)
    }
  }

  /** Loads the data for a read. A read alone loses no update: it does not warn. */
  #loaded(): Promise<void> {
    const state = this.#state
    return state.held ? RESOLVED : state.load()
  }

  /** Loads the data for a write outside the lock, which may overwrite a concurrent request's. */
  #unlockedWrite(): Promise<void> {
    const state = this.#state
    if (!state.held && state.context.options.warnLock)
      warnOncePerCallSite(UNLOCKED_ACCESS, UNLOCKED_ACCESS_MESSAGE)
    return this.#loaded()
  }

  async #applyDelta(): Promise<void> {
    const state = this.#state
    await acquire(state)
    const held = state.held as Held
    replayDelta(state, held)
    await releaseLevel(state, held.generation)
  }

  async #touchIfDue(): Promise<void> {
    if (!this.#state.touchDue()) return
    const state = this.#state
    const { options, storage, retired } = state.context
    await state.load()
    const { base, identity } = state
    if (!base || !identity) return
    if (retired.has(identity.key)) {
      state.lose()
      return
    }
    const now = Date.now()
    const record: SessionRecord = {
      ...base,
      lastSeenAt: now,
      expiresAt: nextExpiry(base, options, now),
    }
    markCookieSent(record, storage.clientSide, options)
    const ttl = ttlSeconds(record.expiresAt, now)
    try {
      const touched = await storage.touch(identity.key, record, ttl)
      if (touched === 'touched') state.remember(identity, record)
      // Rotated away or deleted since this request read it: a newer cookie may be on its way.
      if (touched === 'missing') state.lose()
      if (touched !== 'unsupported') return
      // No touch capability: rewrite the record under the lock, which never resurrects a deleted one.
      await this.transaction((tx) => tx.markChanged())
    } catch (error) {
      // A failed touch costs only expiry slack; the read this request made succeeded.
      options.onError(error, { store: storage.primary.name, operation: 'touch' })
    }
  }
}
