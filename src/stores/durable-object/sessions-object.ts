import { DurableObject } from 'cloudflare:workers'
import type { IndexEntry, RowChange, SessionRow, SessionsObjectRpc } from './protocol.js'
import { SessionObject } from './session-object.js'
import type { DurableObjectStateLike } from './storage.js'
import { UserIndexObject } from './user-index-object.js'

/** The Durable Object class, as its declarations show it (they never name `cloudflare:workers`). */
export interface LatchkeySessionsObjectClass {
  new (ctx: DurableObjectStateLike, env: unknown): SessionsObjectRpc & { alarm(): Promise<void> }
}

class SessionsObject extends DurableObject implements SessionsObjectRpc {
  readonly #session: SessionObject
  readonly #index: UserIndexObject

  constructor(ctx: DurableObjectStateLike, env: unknown) {
    super(ctx, env)
    this.#session = new SessionObject(ctx.storage)
    this.#index = new UserIndexObject(ctx.storage)
  }

  // Prototype methods: Workers RPC exposes no instance fields.
  sessionRead() {
    return this.#session.read()
  }
  sessionWrite(row: SessionRow) {
    return this.#session.write(row)
  }
  sessionDelete() {
    return this.#session.delete()
  }
  sessionTouch(times: { lastSeenAt: number; expiresAt: number }, until: number) {
    return this.#session.touch(times, until)
  }
  lockTry(token: string, leaseMs: number) {
    return this.#session.tryLock(token, leaseMs)
  }
  lockRenew(token: string, leaseMs: number) {
    return this.#session.renew(token, leaseMs)
  }
  lockCommit(token: string, change: RowChange) {
    return this.#session.commit(token, change)
  }
  revoke(userId: string, until: number) {
    return this.#session.revoke(userId, until)
  }
  indexAdd(key: string, until: number) {
    return this.#index.add(key, until)
  }
  indexList() {
    return this.#index.list()
  }
  indexRemove(entries: IndexEntry[]) {
    return this.#index.remove(entries)
  }

  /** An object holds one role's keys only; each clean-up touches its own role's keys. */
  async alarm(): Promise<void> {
    await this.#session.cleanUp()
    await this.#index.cleanUp()
  }
}

/**
 * The Durable Object that holds latchkey's sessions: one object per session
 * (its record, lock and fencing token) and one per user (the index behind
 * `listByUser` / `deleteByUser`). Export it from your worker under the class
 * name your binding names, and reach it with {@link DurableObjectStore}.
 *
 * @example
 * ```ts
 * // worker.ts — wrangler.jsonc: durable_objects.bindings [{ name: 'SESSIONS',
 * // class_name: 'LatchkeySessionsObject' }], migrations [{ tag: 'v1',
 * // new_sqlite_classes: ['LatchkeySessionsObject'] }]
 * export { LatchkeySessionsObject } from 'latchkey/stores/durable-object'
 * ```
 */
export const LatchkeySessionsObject: LatchkeySessionsObjectClass = SessionsObject
