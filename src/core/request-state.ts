import type { Action } from './commit.js'
import type { RequestInfo, SessionContext } from './context.js'
import { deletionCookie, readCookie, sessionCookie } from './cookie.js'
import { isLive, isPersistent, touchDue } from './expiry.js'
import type { Release } from './keyed-mutex.js'
import { migrate } from './migration.js'
import type { ControlFields } from './record.js'
import type { SessionRecord, StoreLease } from './store.js'
import type { Identity } from './store-group.js'

/** A lock this request holds. */
export interface Held {
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
  /** When the lock was had (`performance.now()`), for `latchkey:lock:released`. */
  acquiredAt: number
}

/** What finishing sends: a new cookie, none (the browser's copy is current), or a deletion. */
export type CookieOutcome = 'set' | 'kept' | 'delete' | undefined

/** Marks a key removed, in the unlocked changes and in a locked write. */
export const DELETED = Symbol('deleted')

export const RESOLVED: Promise<void> = Promise.resolve()

/**
 * The state of one request's session, shared by `Session` and the lock
 * module; not exported from the package.
 */
export class RequestState {
  readonly context: SessionContext
  readonly request: RequestInfo
  #cookieValue: string | undefined | null = null
  /** The verified legacy session id (see `migrateFrom`); null until looked for. */
  #legacy: string | undefined | null = null
  onPending: (() => void) | undefined
  identified = false
  identity: Identity | undefined
  loaded = false
  loading: Promise<void> | undefined
  /** The live record as last read or written; undefined when there is none. */
  base: SessionRecord | undefined
  data: Record<string, unknown> = {}
  /** Changes made outside a lock, replayed under the lock at commit (none: undefined). */
  delta: Map<string, unknown> | undefined
  cleared = false
  held: Held | undefined
  generation = 0
  outcome: CookieOutcome
  /** The session was lost (see `Held.lost`) and the request has not logged in since. */
  lost = false
  touchRequested = false
  /** The deletion of a legacy cookie this request migrated (see `migrateFrom`), sent with the response. */
  legacyDeletion: string | undefined

  constructor(context: SessionContext, request: RequestInfo) {
    this.context = context
    this.request = request
    this.onPending = request.onPending
  }

  /** The session id once known (see `Session.id`). */
  get id(): string | undefined {
    return this.held ? this.held.identity?.id : this.identity?.id
  }

  /** True until the session exists in the store (see `Session.isNew`). */
  get isNew(): boolean {
    return (this.held ? this.held.base : this.base) === undefined
  }

  /** This session's cookie value as the client sent it (parsed on first need). */
  get cookie(): string | undefined {
    if (this.#cookieValue === null)
      this.#cookieValue = readCookie(this.request.cookie, this.context.options.cookie.name)
    return this.#cookieValue
  }

  identify(): Identity | undefined {
    if (!this.identified) {
      this.identified = true
      this.identity =
        this.cookie === undefined ? undefined : this.context.storage.identify(this.cookie)
    }
    return this.identity
  }

  load(): Promise<void> {
    if (this.loaded) return RESOLVED
    this.loading ??= this.#read()
    return this.loading
  }

  /** Whether the first read migrates a legacy session: no latchkey session named, a legacy cookie verified. */
  migrationDue(): boolean {
    return !this.loaded && this.#legacyId() !== undefined
  }

  /** The legacy session id this request's legacy cookie names, when it names no latchkey session. */
  #legacyId(): string | undefined {
    if (this.#legacy !== null) return this.#legacy
    const migration = this.context.options.migration
    if (!migration || this.identify() !== undefined) this.#legacy = undefined
    else {
      const value = readCookie(this.request.cookie, migration.source.cookie.name)
      this.#legacy = value === undefined ? undefined : migration.source.verify(value)
    }
    return this.#legacy
  }

  async #read(): Promise<void> {
    const migration = this.context.options.migration
    const legacyId = this.#legacyId()
    if (migration && legacyId !== undefined) return migrate(this, migration, legacyId)
    const identity = this.identify()
    const record = identity ? await this.context.storage.read(identity) : undefined
    this.adopt(identity, record)
  }

  /** Takes a record read from the primary as this request's state (strict: a dead id is dropped). */
  adopt(identity: Identity | undefined, record: SessionRecord | undefined): void {
    const live = record !== undefined && isLive(record, Date.now())
    this.identity = live ? identity : undefined
    this.base = live ? record : undefined
    this.data = live ? { ...record.data } : {}
    this.loaded = true
  }

  /** Tells the adapter, once, that finishing has work to do. */
  pending(): void {
    const onPending = this.onPending
    if (!onPending) return
    this.onPending = undefined
    onPending()
  }

  write(key: string, value: unknown): void {
    if (value === DELETED) {
      if (!Object.hasOwn(this.data, key) && !this.held) {
        this.#unsaved().set(key, DELETED)
        return
      }
      delete this.data[key]
    } else {
      this.data[key] = value
    }
    if (this.held) this.held.changed = true
    else this.#unsaved().set(key, value)
  }

  /** The unlocked changes of this request, made on the first one. */
  #unsaved(): Map<string, unknown> {
    if (!this.delta) {
      this.delta = new Map()
      this.pending()
    }
    return this.delta
  }

  clearLocked(): void {
    const held = this.held as Held
    if (Object.keys(this.data).length > 0) held.changed = true
    for (const key of Object.keys(this.data)) delete this.data[key]
  }

  discardDelta(): void {
    this.delta = undefined
    this.cleared = false
    this.data = this.base ? { ...this.base.data } : {}
  }

  remember(identity: Identity, record: SessionRecord, sendCookie = true): void {
    // A cookie an earlier save of this request still has to send (a new session's,
    // a refresh) stays due when a later save of the same session needs none.
    const cookieDue = this.outcome === 'set' && this.identity?.key === identity.key
    this.identity = this.context.storage.clientSide ? { ...identity, sealed: record } : identity
    this.base = record
    this.outcome = sendCookie || cookieDue ? 'set' : 'kept'
    this.lost = false
  }

  /** Drops the session this request lost; the browser's cookie, whatever it is by now, stays. */
  lose(): void {
    this.lost = true
    this.forget(false)
  }

  forget(sendDeletion: boolean): void {
    this.identity = undefined
    this.base = undefined
    this.data = {}
    this.outcome = sendDeletion ? 'delete' : undefined
  }

  /**
   * Whether finishing must touch the session (sliding expiry, `touch()`) or
   * re-issue its cookie (sealed under an old key). No I/O.
   */
  touchDue(): boolean {
    if (this.outcome !== undefined) return false
    const { options, storage } = this.context
    if (!this.loaded) {
      // A cookie sealed under an old key is re-issued under the current one, used or not.
      return storage.clientSide && this.cookie !== undefined && this.identify()?.stale === true
    }
    const { base, identity } = this
    if (!base || !identity) return false
    if (this.touchRequested || identity.stale === true) return true
    return touchDue(base, options, Date.now())
  }

  /** The `Set-Cookie` values finishing sends. */
  setCookie(): string[] {
    const cookies = this.#sessionCookie()
    const legacy = this.legacyDeletion
    if (legacy === undefined) return cookies
    // A legacy cookie of the same name is replaced (or deleted) by the session cookie sent here.
    const replaced =
      cookies.length > 0 &&
      this.context.options.migration?.source.cookie.name === this.context.options.cookie.name
    return replaced ? cookies : [...cookies, legacy]
  }

  #sessionCookie(): string[] {
    const { options, storage } = this.context
    if (this.outcome === 'delete') return [deletionCookie(options.cookie)]
    if (this.outcome !== 'set' || !this.base || !this.identity) return []
    const record = this.base
    const value = storage.cookieValue(this.identity.id, record)
    const expiresAt = isPersistent(record, options) ? record.expiresAt : undefined
    return [sessionCookie(options.cookie, value, expiresAt, Date.now())]
  }
}
