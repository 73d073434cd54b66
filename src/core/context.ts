import type { KeyedMutex } from './keyed-mutex.js'
import type { ResolvedOptions } from './options.js'
import type { ControlFields } from './record.js'
import type { RetiredIds } from './retired-ids.js'
import type { SessionRecord } from './store.js'
import type { StoreGroup } from './store-group.js'

/** What a manager shares with the sessions of its requests. */
export interface SessionContext {
  readonly options: ResolvedOptions
  readonly storage: StoreGroup
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
