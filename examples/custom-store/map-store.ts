import { randomUUID } from 'node:crypto'
import {
  type LeaseChange,
  SessionLockLostError,
  SessionLockTimeoutError,
  type SessionStore,
  type StoredRecord,
  type StoreLease,
  type StoreLockOptions,
} from 'latchkey'

interface Row {
  record: StoredRecord
  /** When the backend drops the row, in milliseconds since the epoch. */
  until: number
}

interface Lock {
  token: string
  until: number
}

/**
 * A store with a lock, over a `Map`. Each method stands for one atomic
 * operation of a real backend (a Lua script, one SQL statement, a
 * conditional write): replace the `Map` calls with those and the lock holds
 * across processes.
 */
export class MapStore implements SessionStore {
  readonly name = 'map'
  readonly #rows = new Map<string, Row>()
  readonly #locks = new Map<string, Lock>()

  async get(key: string): Promise<StoredRecord | undefined> {
    const row = this.#rows.get(key)
    if (!row || row.until <= Date.now()) return undefined
    return structuredClone(row.record) // callers never share the stored object
  }

  async set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    // Value and TTL in one write: there is no moment without an expiry.
    const until = Math.min(record.expiresAt, Date.now() + ttlSeconds * 1000)
    this.#rows.set(key, { record: structuredClone(record), until })
  }

  async delete(key: string): Promise<void> {
    this.#rows.delete(key)
  }

  /** Atomic: takes the lock if it is free or its lease ran out, and reads the record. */
  #tryLock(key: string, token: string, leaseMs: number): boolean {
    const held = this.#locks.get(key)
    if (held && held.until > Date.now()) return false
    this.#locks.set(key, { token, until: Date.now() + leaseMs })
    return true
  }

  async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    const token = randomUUID() // who holds the lock: every later step checks it
    const deadline = Date.now() + options.waitMs
    for (
      let pause = 2;
      !this.#tryLock(key, token, options.leaseMs);
      pause = Math.min(pause * 2, 20)
    ) {
      if (Date.now() >= deadline) throw new SessionLockTimeoutError(options.waitMs / 1000)
      // Jittered, so that waiters in different processes do not try in step.
      await new Promise((resolve) => setTimeout(resolve, pause / 2 + Math.random() * (pause / 2)))
    }
    return new MapLease(this, key, token, options.leaseMs, await this.get(key))
  }

  /** Atomic: extends the lease if `token` still holds it. */
  renew(key: string, token: string, leaseMs: number): boolean {
    const held = this.#locks.get(key)
    if (held?.token !== token || held.until <= Date.now()) return false
    held.until = Date.now() + leaseMs
    return true
  }

  /**
   * Atomic: applies `change` and unlocks, only while `token` holds the lease
   * (fencing), and writes a record only if it still exists.
   */
  commit(key: string, token: string, change: LeaseChange | undefined): boolean {
    const held = this.#locks.get(key)
    if (held?.token !== token || held.until <= Date.now()) throw new SessionLockLostError()
    this.#locks.delete(key)
    if (change?.type === 'delete') this.#rows.delete(key)
    if (change?.type !== 'set') return true
    const row = this.#rows.get(key)
    if (!row || row.until <= Date.now()) return false // revoked while locked: stays revoked
    row.record = structuredClone(change.record)
    row.until = Math.min(change.record.expiresAt, Date.now() + change.ttlSeconds * 1000)
    return true
  }
}

/** A held lock: renewed every third of its lease until committed. */
class MapLease implements StoreLease {
  readonly record: StoredRecord | undefined
  readonly #store: MapStore
  readonly #key: string
  readonly #token: string
  readonly #renewal: NodeJS.Timeout

  constructor(
    store: MapStore,
    key: string,
    token: string,
    leaseMs: number,
    record: StoredRecord | undefined,
  ) {
    this.record = record
    this.#store = store
    this.#key = key
    this.#token = token
    this.#renewal = setInterval(() => {
      if (!store.renew(key, token, leaseMs)) clearInterval(this.#renewal)
    }, leaseMs / 3)
    this.#renewal.unref() // a held lock must not keep the process alive
  }

  async commit(change?: LeaseChange): Promise<boolean> {
    clearInterval(this.#renewal)
    return this.#store.commit(this.#key, this.#token, change)
  }
}
