import { hashSessionId, newSessionId } from '../crypto/ids.js'
import { deletionCookie, readCookie, sessionCookie } from './cookie.js'
import { SessionUsageError } from './errors.js'
import {
  cookieRefreshDue,
  isLive,
  isPersistent,
  markCookieSent,
  nextExpiry,
  touchDue,
  ttlSeconds,
} from './expiry.js'
import { assertEntry } from './json.js'
import type { KeyedMutex, Release } from './keyed-mutex.js'
import type { ResolvedOptions } from './options.js'
import { type ControlFields, copyControlFields } from './record.js'
import type { RetiredIds } from './retired-ids.js'
import type { Identity, Storage } from './storage.js'
import type { SessionData, SessionRecord, StoreLease } from './store.js'
import {
  MIXED_ACCESS,
  MIXED_ACCESS_MESSAGE,
  SESSION_LOST,
  SESSION_LOST_MESSAGE,
  STATELESS_LOCK,
  STATELESS_LOCK_MESSAGE,
  UNLOCKED_ACCESS,
  UNLOCKED_ACCESS_MESSAGE,
  warnOncePerCallSite,
} from './warnings.js'

/** What a manager shares with the sessions of its requests. */
export interface SessionContext {
  readonly options: ResolvedOptions
  readonly storage: Storage
  readonly mutex: KeyedMutex
  /** Sessions this process rotated away or destroyed a moment ago. */
  readonly retired: RetiredIds
}

/**
 * What an adapter passes to `open`: the parts of the request a session needs.
 * The session reads `cookie` and `userAgent` only when it needs them (at first
 * use, at login), so an adapter whose header lookup costs something can pass
 * them as getters.
 */
export interface RequestInfo {
  /** The raw `Cookie` header. */
  readonly cookie: string | undefined
  /** The `User-Agent` header, recorded by managers that keep it. */
  readonly userAgent?: string | undefined
  /**
   * Called once, the first time the session holds work that only finishing
   * (`finish()`/`commit()`) completes: a lock taken with `lock()`, changes made
   * outside a lock, or `touch()`. An adapter whose finishing step can be
   * skipped (Fastify's `reply.hijack()`) uses it to finish the session when
   * the response ends, without watching every response.
   */
  onPending?: (() => void) | undefined
}

/** The working state of a locked section, for subclasses that change control fields. */
export interface Transaction {
  readonly data: Record<string, unknown>
  /** The record as read under the lock (undefined for a new session). */
  readonly base: SessionRecord | undefined
  /** Control fields to write; start as the base's. */
  readonly fields: Partial<ControlFields>
  /** Gives the session a new id at commit (the old record is deleted). */
  rotate(): void
  /** Deletes the session at commit and sends a deletion cookie. */
  destroy(): void
  /** Marks the session changed so it is written at commit. */
  markChanged(): void
}

type Action = 'none' | 'rotate' | 'destroy'

interface Held {
  depth: number
  release: Release | undefined
  lease: StoreLease | undefined
  /** The identity locked (undefined: a new session nobody else can know). */
  identity: Identity | undefined
  base: SessionRecord | undefined
  fields: Partial<ControlFields>
  changed: boolean
  action: Action
  /**
   * The session this request read (or queued for) was rotated away or deleted
   * by another request before this lock: nothing but a login is saved.
   */
  lost: boolean
  /** Counts lock generations so a released handle cannot touch a later lock. */
  generation: number
  /** The save and unlock in progress once the outermost level was released. */
  saving: Promise<void> | undefined
}

/** What finishing sends: a new cookie, none (the browser's copy is current), or a deletion. */
type CookieOutcome = 'set' | 'kept' | 'delete' | undefined

const DELETED = Symbol('deleted')

const RESOLVED: Promise<void> = Promise.resolve()

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function'
}

function controlFields(record: SessionRecord | undefined): Partial<ControlFields> {
  return record ? copyControlFields(record, {}) : {}
}

/**
 * The session of one request (original `SessionDict`), attached by an adapter
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
  readonly #context: SessionContext
  readonly #request: RequestInfo
  #cookieValue: string | undefined | null = null
  #onPending: (() => void) | undefined
  #identified = false
  #identity: Identity | undefined
  #loaded = false
  #loading: Promise<void> | undefined
  /** The live record as last read or written; undefined when there is none. */
  #base: SessionRecord | undefined
  #data: Record<string, unknown> = {}
  /** Changes made outside a lock, replayed under the lock at commit (none: undefined). */
  #delta: Map<string, unknown> | undefined
  #cleared = false
  #held: Held | undefined
  #generation = 0
  #outcome: CookieOutcome
  #touchRequested = false
  #committed = false
  /** The session was lost (see `Held.lost`) and the request has not logged in since. */
  #lost = false

  constructor(context: SessionContext, request: RequestInfo) {
    this.#context = context
    this.#request = request
    this.#onPending = request.onPending
  }

  /**
   * The session id, once known: after the session was loaded or locked and
   * found, or after a new session was first saved. `undefined` for a new session.
   */
  get id(): string | undefined {
    return this.#held ? this.#held.identity?.id : this.#identity?.id
  }

  /** True until the session exists in the store (known after the first read or lock). */
  get isNew(): boolean {
    return (this.#held ? this.#held.base : this.#base) === undefined
  }

  /** Whether this request holds the session's lock. */
  get isLocked(): boolean {
    return this.#held !== undefined
  }

  /** Reads a value (one store read per request at most). */
  async get<K extends keyof Data & string>(key: K): Promise<Data[K] | undefined> {
    await this.#unlockedAccess()
    return this.#data[key] as Data[K] | undefined
  }

  /** Whether `key` holds a value. */
  async has(key: keyof Data & string): Promise<boolean> {
    await this.#unlockedAccess()
    return Object.hasOwn(this.#data, key)
  }

  /** The keys that hold values. */
  async keys(): Promise<Array<keyof Data & string>> {
    await this.#unlockedAccess()
    return Object.keys(this.#data) as Array<keyof Data & string>
  }

  /** A shallow copy of all data. */
  async all(): Promise<Partial<Data>> {
    await this.#unlockedAccess()
    return { ...this.#data } as Partial<Data>
  }

  /** Sets a value (saved at the end of the request). Values must be JSON. */
  async set<K extends keyof Data & string>(key: K, value: Data[K]): Promise<void> {
    assertEntry(key, value)
    await this.#unlockedAccess()
    this.#write(key, value)
  }

  /** Removes a value (saved at the end of the request). */
  async delete(key: keyof Data & string): Promise<void> {
    await this.#unlockedAccess()
    this.#write(key, DELETED)
  }

  /** Removes every value; an emptied session is deleted at the end of the request. */
  async clear(): Promise<void> {
    await this.#unlockedAccess()
    if (this.#held) {
      this.#clearLocked()
      return
    }
    this.#data = {}
    this.#delta = undefined
    this.#cleared = true
    this.#pending()
  }

  /**
   * Takes the session's lock: waits for other requests of this session (in this
   * process and, when the store can lock, in every process) at most
   * `lock.timeout` seconds, then re-reads the session from the primary store.
   * The returned handle saves (when changed) and unlocks when disposed or
   * released, also when the code using it throws. Calling `lock()` again in the
   * same request joins the lock held.
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
    await this.#acquire()
    // withLock and transactions release before they return; a handle may outlive the handler.
    this.#pending()
    return new LockedSession<Data>(this, this.#held?.generation ?? 0)
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
    await this.#acquire()
    const handle = new LockedSession<Data>(this, this.#held?.generation ?? 0)
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
   * Gives the session a new id and keeps its data; the old id stops working
   * (original `refresh_sid`). Inside a lock it happens when the lock is released.
   */
  async regenerate(): Promise<void> {
    await this.transaction((tx) => tx.rotate())
  }

  /** Deletes the session from every store and sends a deletion cookie. */
  async destroy(): Promise<void> {
    await this.transaction((tx) => tx.destroy())
  }

  /** Extends the session's expiry (store and cookie) at the end of the request, without rewriting data. */
  touch(): void {
    this.#touchRequested = true
    this.#pending()
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
    while (this.#held) await this.#releaseLevel(this.#held.generation)
    if (this.#delta || this.#cleared) await this.#applyDelta()
    else await this.#touchIfDue()
    return this.#setCookie()
  }

  /**
   * Adapter API: `commit()`, answered synchronously when finishing needs no
   * I/O — an untouched session, a read-only one not due for a touch, one saved
   * under its lock already — so adapters skip a promise on the hot path.
   */
  finish(): string[] | Promise<string[]> {
    const settled =
      !this.#committed &&
      !this.#held &&
      this.#delta === undefined &&
      !this.#cleared &&
      (this.#loaded || this.#loading === undefined) &&
      !this.#touchDue()
    if (!settled) return this.commit()
    this.#committed = true
    try {
      return this.#setCookie()
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
    if (this.#held) return fn(this.#transactionOf(this.#held))
    await this.#acquire()
    const held = this.#held as Held | undefined
    if (!held) throw new SessionUsageError('lock was not acquired')
    try {
      this.#replayDelta(held)
      return fn(this.#transactionOf(held))
    } finally {
      await this.#releaseLevel(held.generation)
    }
  }

  /** The stored record's control fields, read once per request (or from the lock held). */
  protected async fields(): Promise<Partial<ControlFields>> {
    if (this.#held) return this.#held.fields
    await this.#load()
    return controlFields(this.#base)
  }

  /** The `User-Agent` of this request. */
  protected get userAgent(): string | undefined {
    return this.#request.userAgent
  }

  /** The manager's resolved options. */
  protected get options(): ResolvedOptions {
    return this.#context.options
  }

  // ---- locked access, used by LockedSession ----

  /** @internal */
  lockedData(generation: number): Record<string, unknown> {
    this.#assertHeld(generation)
    return this.#data
  }

  /** @internal */
  lockedWrite(generation: number, key: string, value: unknown): void {
    this.#assertHeld(generation)
    if (value !== DELETED) assertEntry(key, value)
    this.#write(key, value)
  }

  /** @internal */
  lockedClear(generation: number): void {
    this.#assertHeld(generation)
    this.#clearLocked()
  }

  /** @internal */
  lockedAction(generation: number, action: Exclude<Action, 'none'>): void {
    const held = this.#assertHeld(generation)
    const tx = this.#transactionOf(held)
    if (action === 'rotate') tx.rotate()
    else tx.destroy()
  }

  /** @internal Releases one level of the lock; the outermost saves and unlocks. */
  releaseLevel(generation: number): Promise<void> {
    return this.#releaseLevel(generation)
  }

  // ---- internals ----

  /** What `lock()` checks first: unlocked writes it discards, a lock that only holds in-process. */
  #beforeLock(): void {
    if (!this.#held && (this.#delta || this.#cleared)) {
      warnOncePerCallSite(MIXED_ACCESS, MIXED_ACCESS_MESSAGE)
      this.#discardDelta()
    }
    if (this.#context.storage.clientSide && this.#context.options.warnLock) {
      warnOncePerCallSite(STATELESS_LOCK, STATELESS_LOCK_MESSAGE)
    }
  }

  #assertHeld(generation: number): Held {
    if (this.#held?.generation !== generation) {
      throw new SessionUsageError(
        'this lock handle was released; take the lock again to use the session',
      )
    }
    return this.#held
  }

  #transactionOf(held: Held): Transaction {
    return {
      data: this.#data,
      base: held.base,
      fields: held.fields,
      rotate: () => {
        if (held.action !== 'destroy') held.action = 'rotate'
        held.changed = true
      },
      destroy: () => {
        held.action = 'destroy'
      },
      markChanged: () => {
        if (held.action === 'destroy') held.action = 'none'
        held.changed = true
      },
    }
  }

  #write(key: string, value: unknown): void {
    if (value === DELETED) {
      if (!Object.hasOwn(this.#data, key) && !this.#held) {
        this.#unsaved().set(key, DELETED)
        return
      }
      delete this.#data[key]
    } else {
      this.#data[key] = value
    }
    if (this.#held) this.#held.changed = true
    else this.#unsaved().set(key, value)
  }

  /** The unlocked changes of this request, made on the first one. */
  #unsaved(): Map<string, unknown> {
    if (!this.#delta) {
      this.#delta = new Map()
      this.#pending()
    }
    return this.#delta
  }

  /** Tells the adapter, once, that finishing has work to do. */
  #pending(): void {
    const onPending = this.#onPending
    if (!onPending) return
    this.#onPending = undefined
    onPending()
  }

  #clearLocked(): void {
    const held = this.#held as Held
    if (Object.keys(this.#data).length > 0) held.changed = true
    for (const key of Object.keys(this.#data)) delete this.#data[key]
  }

  #unlockedAccess(): Promise<void> {
    if (this.#held) return RESOLVED
    if (this.#context.options.warnLock)
      warnOncePerCallSite(UNLOCKED_ACCESS, UNLOCKED_ACCESS_MESSAGE)
    return this.#load()
  }

  /** This session's cookie value as the client sent it (parsed on first need). */
  get #cookie(): string | undefined {
    if (this.#cookieValue === null)
      this.#cookieValue = readCookie(this.#request.cookie, this.#context.options.cookie.name)
    return this.#cookieValue
  }

  #identify(): Identity | undefined {
    if (!this.#identified) {
      this.#identified = true
      this.#identity =
        this.#cookie === undefined ? undefined : this.#context.storage.identify(this.#cookie)
    }
    return this.#identity
  }

  #load(): Promise<void> {
    if (this.#loaded) return RESOLVED
    this.#loading ??= this.#read()
    return this.#loading
  }

  async #read(): Promise<void> {
    const identity = this.#identify()
    let record: SessionRecord | undefined
    if (identity) {
      const { storage } = this.#context
      try {
        record = await storage.read(identity)
      } catch (error) {
        throw storage.failure('get', error)
      }
    }
    this.#adopt(identity, record)
  }

  /** Takes a record read from the primary as this request's state (strict: a dead id is dropped). */
  #adopt(identity: Identity | undefined, record: SessionRecord | undefined): void {
    const live = record !== undefined && isLive(record, Date.now())
    this.#identity = live ? identity : undefined
    this.#base = live ? record : undefined
    this.#data = live ? { ...record.data } : {}
    this.#loaded = true
  }

  #discardDelta(): void {
    this.#delta = undefined
    this.#cleared = false
    this.#data = this.#base ? { ...this.#base.data } : {}
  }

  async #acquire(): Promise<void> {
    if (this.#held) {
      this.#held.depth++
      return
    }
    const { storage, mutex, options } = this.#context
    const identity = this.#loaded ? this.#identity : this.#identify()
    this.#generation++
    if (!identity) {
      // A session that does not exist yet: no other request can know its id.
      this.#held = {
        depth: 1,
        release: undefined,
        lease: undefined,
        identity: undefined,
        base: undefined,
        fields: {},
        changed: false,
        action: 'none',
        lost: this.#lost,
        generation: this.#generation,
        saving: undefined,
      }
      this.#identified = true
      this.#loaded = true
      this.#base = undefined
      this.#data = {}
      return
    }
    const readLive = this.#loaded && this.#base !== undefined
    const deadline = Date.now() + options.lockTimeoutMs
    const release =
      mutex.tryAcquire(identity.key) ?? (await mutex.acquire(identity.key, options.lockTimeoutMs))
    let lease: StoreLease
    try {
      lease = await storage.lock(identity, Math.max(1, deadline - Date.now()))
    } catch (error) {
      release()
      throw storage.failure('lock', error)
    }
    const lost = this.#lost || this.#lostUnder(identity, lease.record, readLive)
    this.#adopt(identity, lost ? undefined : lease.record)
    this.#held = {
      depth: 1,
      release,
      lease,
      identity: this.#identity,
      base: this.#base,
      fields: controlFields(this.#base),
      changed: false,
      action: 'none',
      lost,
      generation: this.#generation,
      saving: undefined,
    }
  }

  /**
   * Whether the session this request names was taken from under it: rotated
   * away or destroyed in this process a moment ago (the only sign the cookie
   * store has), or read live by this request and gone now under the lock.
   */
  #lostUnder(identity: Identity, record: SessionRecord | undefined, readLive: boolean): boolean {
    if (this.#context.retired.has(identity.key)) return true
    return readLive && !(record !== undefined && isLive(record, Date.now()))
  }

  #replayDelta(held: Held): void {
    if (this.#cleared && Object.keys(this.#data).length > 0) held.changed = true
    if (this.#cleared) this.#data = {}
    for (const [key, value] of this.#delta ?? []) {
      if (value === DELETED) {
        if (Object.hasOwn(this.#data, key)) {
          delete this.#data[key]
          held.changed = true
        }
      } else {
        this.#data[key] = value
        held.changed = true
      }
    }
    this.#delta = undefined
    this.#cleared = false
  }

  async #applyDelta(): Promise<void> {
    await this.#acquire()
    const held = this.#held as Held
    this.#replayDelta(held)
    await this.#releaseLevel(held.generation)
  }

  #releaseLevel(generation: number): Promise<void> {
    const held = this.#held
    if (!held || held.generation !== generation) return RESOLVED
    // A commit racing the handler's own release (Express responding inside `await using`)
    // waits for the save already running instead of saving twice.
    if (held.saving) return held.saving
    held.depth--
    if (held.depth > 0) return RESOLVED
    held.saving = this.#saveAndUnlock(held)
    return held.saving
  }

  /**
   * Writes what the locked section changed, releasing the store lease, then
   * the in-process lock, also when writing fails. One async function for all
   * of it: every locked request runs it.
   */
  async #saveAndUnlock(held: Held): Promise<void> {
    const { storage, options } = this.#context
    try {
      const { lease, identity, base } = held
      if (held.lost && held.action !== 'rotate') {
        // A newer cookie (a login's, or a logout's deletion) may be on its way: send none.
        await lease?.commit()
        if (held.changed || held.action === 'destroy')
          warnOncePerCallSite(SESSION_LOST, SESSION_LOST_MESSAGE)
        this.#lose()
        return
      }
      const empty = Object.keys(this.#data).length === 0 && held.fields.user === undefined
      if (held.action === 'destroy' || (held.changed && empty && held.action !== 'rotate')) {
        if (identity && base) {
          await storage.commit(lease as StoreLease, identity.key, { type: 'delete' })
          this.#context.retired.add(identity.key)
        } else await lease?.commit()
        this.#forget(identity !== undefined || this.#cookie !== undefined)
        return
      }
      if (!held.changed) {
        await lease?.commit()
        return
      }
      const now = Date.now()
      const record = this.#buildRecord(held, now)
      const ttl = ttlSeconds(record.expiresAt, now)
      if (identity && base && held.action === 'none') {
        // The cookie carries only the id: the browser's copy stays valid unless its expiry is due.
        const resend = storage.clientSide || cookieRefreshDue(record, options)
        if (resend) markCookieSent(record, storage.clientSide, options)
        const kept = await storage.commit(lease as StoreLease, identity.key, {
          type: 'set',
          record,
          ttlSeconds: ttl,
        })
        if (kept) this.#remember(identity, record, resend)
        else {
          // Deleted while we held the lock (logout everywhere): it stays deleted.
          warnOncePerCallSite(SESSION_LOST, SESSION_LOST_MESSAGE)
          this.#lose()
        }
        return
      }
      const id = newSessionId()
      const fresh: Identity = { id, key: hashSessionId(id), sealed: record }
      markCookieSent(record, storage.clientSide, options)
      await storage.create(fresh.key, record, ttl)
      if (identity && base) {
        await storage.commit(lease as StoreLease, identity.key, { type: 'delete' })
        this.#context.retired.add(identity.key)
      } else await lease?.commit()
      this.#remember(fresh, record)
    } catch (error) {
      // Only the store calls above can fail; create() reports its own as "set".
      throw storage.failure('commit', error)
    } finally {
      this.#held = undefined
      held.release?.()
    }
  }

  #buildRecord(held: Held, now: number): SessionRecord {
    const { options } = this.#context
    const fields = held.fields
    const createdAt = fields.createdAt ?? now
    const absoluteExpiresAt =
      fields.absoluteExpiresAt ??
      (options.absoluteTimeoutMs === undefined ? undefined : createdAt + options.absoluteTimeoutMs)
    const record = copyControlFields(fields, {
      data: { ...this.#data },
      createdAt,
      lastSeenAt: now,
      expiresAt: now,
    } as SessionRecord)
    record.createdAt = createdAt
    if (absoluteExpiresAt !== undefined) record.absoluteExpiresAt = absoluteExpiresAt
    record.expiresAt = nextExpiry(record, options, now)
    return record
  }

  #remember(identity: Identity, record: SessionRecord, sendCookie = true): void {
    this.#identity = this.#context.storage.clientSide ? { ...identity, sealed: record } : identity
    this.#base = record
    this.#outcome = sendCookie ? 'set' : 'kept'
    this.#lost = false
  }

  /** Drops the session this request lost; the browser's cookie, whatever it is by now, stays. */
  #lose(): void {
    this.#lost = true
    this.#forget(false)
  }

  #forget(sendDeletion: boolean): void {
    this.#identity = undefined
    this.#base = undefined
    this.#data = {}
    this.#outcome = sendDeletion ? 'delete' : undefined
  }

  /**
   * Whether finishing must touch the session (sliding expiry, `touch()`) or
   * re-issue its cookie (sealed under an old key). No I/O.
   */
  #touchDue(): boolean {
    if (this.#outcome !== undefined) return false
    const { options, storage } = this.#context
    if (!this.#loaded) {
      // A cookie sealed under an old key is re-issued under the current one, used or not.
      return storage.clientSide && this.#cookie !== undefined && this.#identify()?.stale === true
    }
    const base = this.#base
    const identity = this.#identity
    if (!base || !identity) return false
    if (this.#touchRequested || identity.stale === true) return true
    return touchDue(base, options, Date.now())
  }

  async #touchIfDue(): Promise<void> {
    if (!this.#touchDue()) return
    const { options, storage } = this.#context
    await this.#load()
    const base = this.#base
    const identity = this.#identity
    if (!base || !identity) return
    if (this.#context.retired.has(identity.key)) {
      this.#lose()
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
      if (touched === 'touched') this.#remember(identity, record)
      // Rotated away or deleted since this request read it: a newer cookie may be on its way.
      if (touched === 'missing') this.#lose()
      if (touched !== 'unsupported') return
      // No touch capability: rewrite the record under the lock, which never resurrects a deleted one.
      await this.transaction((tx) => tx.markChanged())
    } catch (error) {
      // A failed touch costs only expiry slack; the read this request made succeeded.
      options.onError(error, { store: storage.primary.name, operation: 'touch' })
    }
  }

  #setCookie(): string[] {
    const { options, storage } = this.#context
    if (this.#outcome === 'delete') return [deletionCookie(options.cookie)]
    if (this.#outcome !== 'set' || !this.#base || !this.#identity) return []
    const record = this.#base
    const value = storage.cookieValue(this.#identity.id, record)
    const expiresAt = isPersistent(record, options) ? record.expiresAt : undefined
    return [sessionCookie(options.cookie, value, expiresAt, Date.now())]
  }
}

/**
 * The session while its lock is held: synchronous access to data that was
 * read fresh under the lock. Dispose it (`await using`) or call `release()`.
 */
export class LockedSession<Data extends SessionData = SessionData> implements AsyncDisposable {
  readonly #session: Session<Data>
  readonly #generation: number
  #released = false

  /** @internal */
  constructor(session: Session<Data>, generation: number) {
    this.#session = session
    this.#generation = generation
  }

  /** The session id (`undefined` for a session not saved yet). */
  get id(): string | undefined {
    return this.#session.id
  }

  /** True when the session did not exist in the store when locked. */
  get isNew(): boolean {
    return this.#session.isNew
  }

  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.#session.lockedData(this.#generation)[key] as Data[K] | undefined
  }

  has(key: keyof Data & string): boolean {
    return Object.hasOwn(this.#session.lockedData(this.#generation), key)
  }

  keys(): Array<keyof Data & string> {
    return Object.keys(this.#session.lockedData(this.#generation)) as Array<keyof Data & string>
  }

  /** A shallow copy of all data. */
  all(): Partial<Data> {
    return { ...this.#session.lockedData(this.#generation) } as Partial<Data>
  }

  /** Sets a value; values must be JSON. Saved when the lock is released. */
  set<K extends keyof Data & string>(key: K, value: Data[K]): void {
    this.#session.lockedWrite(this.#generation, key, value)
  }

  delete(key: keyof Data & string): void {
    this.#session.lockedWrite(this.#generation, key, DELETED)
  }

  /** Removes every value; an emptied session is deleted when the lock is released. */
  clear(): void {
    this.#session.lockedClear(this.#generation)
  }

  /** Gives the session a new id when the lock is released, keeping its data. */
  regenerate(): void {
    this.#session.lockedAction(this.#generation, 'rotate')
  }

  /** Deletes the session when the lock is released. */
  destroy(): void {
    this.#session.lockedAction(this.#generation, 'destroy')
  }

  /** Saves (when changed) and releases; later calls do nothing. */
  release(): Promise<void> {
    if (this.#released) return RESOLVED
    this.#released = true
    return this.#session.releaseLevel(this.#generation)
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release()
  }
}
