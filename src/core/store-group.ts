import { hashSessionId } from '../crypto/ids.js'
import { diagnostics } from './diagnostics.js'
import { isSessionError, messageOf, SessionConfigError, SessionStoreError } from './errors.js'
import type { ResolvedOptions } from './options.js'
import { withId } from './record.js'
import {
  type AnyStore,
  type IndexedSession,
  isCookieSealer,
  type LeaseChange,
  type SessionRecord,
  type SessionStore,
  type StoredRecord,
  type StoreLease,
} from './store.js'

/** The stored session a request's cookie names, found without I/O. */
export interface Identity {
  id: string
  key: string
  /** Client-side stores only: the record the cookie carries. */
  sealed?: SessionRecord
  /** The cookie must be re-issued even if nothing changes (sealed under an old key). */
  stale?: boolean
}

/**
 * Runs a store operation, turning anything but a latchkey error into
 * `SessionStoreError` (also when the store throws instead of rejecting).
 */
async function call<T>(store: AnyStore, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (isSessionError(error)) throw error
    throw new SessionStoreError(store.name, `${operation} failed: ${messageOf(error)}`, {
      cause: error,
    })
  }
}

/** {@link call}, timed and published on `latchkey:store:command` when someone listens. */
async function observed<T>(
  manager: string,
  store: AnyStore,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  if (!diagnostics.storeCommand.hasSubscribers) return call(store, operation, run)
  const started = performance.now()
  const publish = (error?: unknown) =>
    diagnostics.storeCommand.publish({
      manager,
      store: store.name,
      operation,
      mirror: false,
      durationMs: performance.now() - started,
      ...(error === undefined ? {} : { error }),
    })
  try {
    const result = await call(store, operation, run)
    publish()
    return result
  } catch (error) {
    publish(error)
    throw error
  }
}

const NO_TIMEOUT = Symbol('timeout')

/** A change as the manager makes it: a record whose data is still an object. */
export type SessionChange =
  | { type: 'set'; record: SessionRecord; ttlSeconds: number }
  | { type: 'delete' }

/** A store lease as the manager sees it: its record decoded. */
export interface Lease extends StoreLease {
  readonly record: SessionRecord | undefined
}

/**
 * The primary store and its mirrors as one unit: reads and locks go to the
 * primary; every write, touch and delete goes to the primary, then to all
 * mirrors concurrently under a deadline.
 *
 * Every operation maps its failures here, in one place: they reach the
 * session as `SessionStoreError` (or latchkey's own errors).
 */
export class StoreGroup {
  #primary: AnyStore
  #mirrors: SessionStore[]
  readonly #options: ResolvedOptions

  constructor(primary: AnyStore, mirrors: readonly AnyStore[], options: ResolvedOptions) {
    this.#options = options
    this.#primary = primary
    this.#mirrors = []
    for (const mirror of mirrors) this.addMirror(mirror)
  }

  get primary(): AnyStore {
    return this.#primary
  }

  get mirrors(): readonly SessionStore[] {
    return this.#mirrors
  }

  /** Whether the primary keeps the session in the cookie (no server state). */
  get clientSide(): boolean {
    return isCookieSealer(this.#primary)
  }

  addMirror(store: AnyStore): void {
    if (isCookieSealer(store)) {
      throw new SessionConfigError(
        `store "${store.name}" keeps sessions in the cookie and cannot be a mirror`,
      )
    }
    if (store === this.#primary || this.#mirrors.includes(store)) {
      throw new SessionConfigError(`store "${store.name}" is already used by this manager`)
    }
    this.#mirrors.push(store)
  }

  setPrimary(store: AnyStore, keepOldAsMirror: boolean): void {
    const old = this.#primary
    this.#mirrors = this.#mirrors.filter((mirror) => mirror !== store)
    this.#primary = store
    if (keepOldAsMirror && old !== store) this.addMirror(old)
  }

  /**
   * The session a cookie value names, without I/O: a well-formed id (server
   * stores) or a valid sealed record (cookie store). Undefined otherwise.
   */
  identify(value: string): Identity | undefined {
    const primary = this.#primary
    if (isCookieSealer(primary)) {
      const opened = primary.unseal(value, this.#options.ttlMs / 1000)
      const id = opened?.record.id
      if (!opened || id === undefined || !this.#options.ids.isWellFormed(id)) return undefined
      const { id: _, ...sealed } = opened.record
      const record = this.#options.records.decode(sealed, primary.name)
      if (!record) return undefined
      return { id, key: hashSessionId(id), sealed: record, stale: opened.stale }
    }
    if (!this.#options.ids.isWellFormed(value)) return undefined
    return { id: value, key: hashSessionId(value) }
  }

  /** Reads the record of an identity from the primary. */
  async read(identity: Identity): Promise<SessionRecord | undefined> {
    const primary = this.#primary
    if (isCookieSealer(primary)) return identity.sealed
    const record = await this.#call(primary, 'get', () => primary.get(identity.key))
    return this.#options.records.decode(record, primary.name)
  }

  /**
   * Locks the identity's key in the primary when it can lock across processes,
   * reading the record in the same step. Otherwise (the in-process mutex is
   * then the lock) reads the record and returns a lease that writes plainly.
   */
  async lock(identity: Identity, waitMs: number): Promise<Lease> {
    const primary = this.#primary
    if (isCookieSealer(primary)) return sealedLease(identity.sealed)
    const lease = await this.#call(primary, 'lock', () => {
      if (primary.lock)
        return primary.lock(identity.key, { leaseMs: this.#options.lockLeaseMs, waitMs })
      return primary.get(identity.key).then((record) => plainLease(primary, identity.key, record))
    })
    const record = this.#options.records.decode(lease.record, primary.name)
    if (record === lease.record) return lease as Lease
    return { record, commit: (change) => lease.commit(change) }
  }

  /**
   * Applies `change` through a lease (none: only releases it), then to the
   * mirrors. False if the record had vanished.
   */
  commit(lease: StoreLease, key: string, change: SessionChange | undefined): Promise<boolean> {
    let stored: LeaseChange | undefined
    try {
      stored = change?.type === 'set' ? this.#encodeChange(change) : change
    } catch (error) {
      // Nothing can be written: unlock without the change, and report why.
      return lease.commit().then(
        () => Promise.reject(error),
        () => Promise.reject(error),
      )
    }
    return this.#call(this.#primary, 'commit', async () => {
      const done = await lease.commit(stored)
      if (!stored || !done || this.#mirrors.length === 0) return done
      if (stored.type === 'set')
        await this.#replicate('set', (m) => m.set(key, stored.record, stored.ttlSeconds))
      else await this.#replicate('delete', (m) => m.delete(key))
      return true
    })
  }

  #call<T>(store: AnyStore, operation: string, run: () => Promise<T>): Promise<T> {
    return observed(this.#options.name, store, operation, run)
  }

  #encodeChange(change: SessionChange & { type: 'set' }): LeaseChange {
    const record = this.#options.records.encode(change.record)
    return record === change.record ? change : { ...change, record }
  }

  /** Writes a record under a key nobody else knows yet (a new or rotated id). */
  async create(key: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    const primary = this.#primary
    const stored = this.#options.records.encode(record)
    if (!isCookieSealer(primary))
      await this.#call(primary, 'set', () => primary.set(key, stored, ttlSeconds))
    await this.#replicate('set', (m) => m.set(key, stored, ttlSeconds))
  }

  async remove(key: string): Promise<void> {
    const primary = this.#primary
    if (!isCookieSealer(primary)) await this.#call(primary, 'delete', () => primary.delete(key))
    await this.#replicate('delete', (m) => m.delete(key))
  }

  /**
   * Extends expiry without rewriting data, where the primary can: `'touched'`,
   * `'missing'` (the record is gone; mirrors are left alone), or
   * `'unsupported'` (the primary has no touch capability).
   */
  async touch(
    key: string,
    record: SessionRecord,
    ttlSeconds: number,
  ): Promise<'touched' | 'missing' | 'unsupported'> {
    const primary = this.#primary
    if (!isCookieSealer(primary)) {
      if (!primary.touch) return 'unsupported'
      const touch = primary.touch.bind(primary)
      const found = await this.#call(primary, 'touch', () => touch(key, record, ttlSeconds))
      if (found === false) return 'missing'
    }
    if (this.#mirrors.length > 0) {
      const stored = this.#options.records.encode(record)
      await this.#replicate('touch', (m) => touchOrSet(m, key, stored, ttlSeconds))
    }
    return 'touched'
  }

  /** The cookie value for a session: its id, or the sealed record. */
  cookieValue(id: string, record: SessionRecord): string {
    const primary = this.#primary
    return isCookieSealer(primary)
      ? primary.seal(withId(this.#options.records.encode(record), id))
      : id
  }

  /** The primary's per-user index, or a config error naming what is missing. */
  indexed(): Required<Pick<SessionStore, 'listByUser' | 'deleteByUser'>> & SessionStore {
    const primary = this.#primary
    if (isCookieSealer(primary) || !primary.listByUser || !primary.deleteByUser) {
      throw new SessionConfigError(
        `store "${primary.name}" has no per-user index (listByUser/deleteByUser); sessions held in cookies cannot be listed or revoked`,
      )
    }
    return primary as Required<Pick<SessionStore, 'listByUser' | 'deleteByUser'>> & SessionStore
  }

  async listByUser(userId: string): Promise<IndexedSession[]> {
    const primary = this.indexed()
    return this.#call(primary, 'listByUser', () => primary.listByUser(userId))
  }

  async deleteByUser(userId: string, exceptKey: string | undefined): Promise<number> {
    const primary = this.indexed()
    const keys = await this.#call(primary, 'deleteByUser', () =>
      primary.deleteByUser(userId, exceptKey === undefined ? {} : { exceptKey }),
    )
    await this.#replicate('delete', (m) =>
      Promise.all(keys.map((key) => m.delete(key))).then(() => undefined),
    )
    return keys.length
  }

  /** Closes every store that has `close`. */
  async close(): Promise<void> {
    await Promise.all(
      [this.#primary, ...this.#mirrors].map((store) => (store as SessionStore).close?.()),
    )
  }

  async #replicate(
    operation: string,
    write: (mirror: SessionStore) => Promise<void>,
  ): Promise<void> {
    if (this.#mirrors.length === 0) return
    const { mirrorTimeoutMs, mirrorFailure, onError } = this.#options
    const failures: SessionStoreError[] = []
    await Promise.all(
      this.#mirrors.map(async (mirror) => {
        let timer: NodeJS.Timeout | undefined
        const deadline = new Promise<typeof NO_TIMEOUT>((resolve) => {
          timer = setTimeout(resolve, mirrorTimeoutMs, NO_TIMEOUT)
        })
        const started = performance.now()
        let failure: unknown
        try {
          const outcome = await Promise.race([write(mirror), deadline])
          if (outcome === NO_TIMEOUT) throw new Error(`no answer within ${mirrorTimeoutMs / 1000}s`)
        } catch (error) {
          failure = error
          const wrapped = new SessionStoreError(
            mirror.name,
            `mirror ${operation} failed: ${messageOf(error)}`,
            { cause: error },
          )
          if (mirrorFailure === 'fail') failures.push(wrapped)
          else onError(wrapped, { store: mirror.name, operation })
        } finally {
          clearTimeout(timer)
          if (diagnostics.storeCommand.hasSubscribers)
            diagnostics.storeCommand.publish({
              manager: this.#options.name,
              store: mirror.name,
              operation,
              mirror: true,
              durationMs: performance.now() - started,
              ...(failure === undefined ? {} : { error: failure }),
            })
        }
      }),
    )
    if (failures[0]) throw failures[0]
  }
}

async function touchOrSet(
  store: SessionStore,
  key: string,
  record: StoredRecord,
  ttlSeconds: number,
): Promise<void> {
  if (store.touch) await store.touch(key, record, ttlSeconds)
  else await store.set(key, record, ttlSeconds)
}

/** A lease for a store without a lock capability: the in-process mutex is the lock. */
function plainLease(
  store: SessionStore,
  key: string,
  record: StoredRecord | undefined,
): StoreLease {
  return {
    record,
    async commit(change) {
      if (change?.type === 'set') {
        // The lease contract: a record deleted meanwhile (logoutEverywhere) stays deleted.
        if ((await store.get(key)) === undefined) return false
        await store.set(key, change.record, change.ttlSeconds)
      } else if (change?.type === 'delete') await store.delete(key)
      return true
    },
  }
}

/** The cookie store has nothing to lock or write on the server side. */
function sealedLease(record: SessionRecord | undefined): Lease {
  return { record, commit: async () => true }
}
