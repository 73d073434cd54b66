import type { Action } from './commit.js'
import { DELETED, RESOLVED } from './request-state.js'
import type { SessionData } from './store.js'

/**
 * What a `LockedSession` may do with its request's session. Every call names
 * the lock generation the handle was made for, so a released handle cannot
 * reach a later lock.
 */
export interface LockAccess {
  id(): string | undefined
  isNew(): boolean
  data(generation: number): Record<string, unknown>
  write(generation: number, key: string, value: unknown): void
  clear(generation: number): void
  act(generation: number, action: Exclude<Action, 'none'>): void
  /** Releases one level of the lock; the outermost saves and unlocks. */
  release(generation: number): Promise<void>
}

/**
 * The session while its lock is held: synchronous access to data that was
 * read fresh under the lock. Dispose it (`await using`) or call `release()`.
 */
export class LockedSession<Data extends SessionData = SessionData> implements AsyncDisposable {
  readonly #session: LockAccess
  readonly #generation: number
  #released = false

  /** @internal */
  constructor(session: LockAccess, generation: number) {
    this.#session = session
    this.#generation = generation
  }

  /** The session id (`undefined` for a session not saved yet). */
  get id(): string | undefined {
    return this.#session.id()
  }

  /** True when the session did not exist in the store when locked. */
  get isNew(): boolean {
    return this.#session.isNew()
  }

  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.#session.data(this.#generation)[key] as Data[K] | undefined
  }

  has(key: keyof Data & string): boolean {
    return Object.hasOwn(this.#session.data(this.#generation), key)
  }

  keys(): Array<keyof Data & string> {
    return Object.keys(this.#session.data(this.#generation)) as Array<keyof Data & string>
  }

  /** A shallow copy of all data. */
  all(): Partial<Data> {
    return { ...this.#session.data(this.#generation) } as Partial<Data>
  }

  /** Sets a value; values must be JSON. Saved when the lock is released. */
  set<K extends keyof Data & string>(key: K, value: Data[K]): void {
    this.#session.write(this.#generation, key, value)
  }

  delete(key: keyof Data & string): void {
    this.#session.write(this.#generation, key, DELETED)
  }

  /** Removes every value; an emptied session is deleted when the lock is released. */
  clear(): void {
    this.#session.clear(this.#generation)
  }

  /** Gives the session a new id when the lock is released, keeping its data. */
  regenerate(): void {
    this.#session.act(this.#generation, 'rotate')
  }

  /** Deletes the session when the lock is released. */
  destroy(): void {
    this.#session.act(this.#generation, 'destroy')
  }

  /** Saves (when changed) and releases; later calls do nothing. */
  release(): Promise<void> {
    if (this.#released) return RESOLVED
    this.#released = true
    return this.#session.release(this.#generation)
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.release()
  }
}
