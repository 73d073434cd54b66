import {
  isSessionError,
  messageOf,
  SessionConfigError,
  SessionStoreError,
} from '../../core/errors.js'
import { MAX_TIMER_SECONDS, seconds } from '../../core/seconds.js'
import type {
  IndexedSession,
  LeaseChange,
  SessionStore,
  StoredRecord,
  StoreLease,
  StoreLockOptions,
} from '../../core/store.js'
import { giveBack } from '../shared/give-back.js'
import { pollLock } from '../shared/poll-lock.js'
import { DurableObjectLease } from './lease.js'
import type { SessionsNamespace } from './namespace.js'
import type { CommitOutcome, RowChange, SessionRow, SessionsObjectRpc } from './protocol.js'

/** Options of {@link DurableObjectStore}. */
export interface DurableObjectStoreOptions {
  /** The binding of `LatchkeySessionsObject`, e.g. `env.SESSIONS`. */
  namespace: SessionsNamespace
  /**
   * Longest pause, in seconds, between two tries to take a lock another
   * request holds. Tries back off exponentially with jitter up to this cap;
   * each try is one call to the session's object.
   * @default 0.025
   */
  lockRetryDelay?: number
}

const NAME = 'durable-object'
const FIRST_RETRY_MS = 2

/** The row a record is kept as, until it expires. */
function rowOf(record: StoredRecord, ttlSeconds: number): SessionRow {
  const until = Math.min(record.expiresAt, Date.now() + ttlSeconds * 1000)
  const row: SessionRow = { json: JSON.stringify(record), until }
  if (record.userId !== undefined) row.userId = record.userId
  return row
}

function recordOf(row: SessionRow | undefined): StoredRecord | undefined {
  return row && (JSON.parse(row.json) as StoredRecord)
}

/**
 * Sessions in a Cloudflare Durable Object, for Workers: a real per-session
 * lock at the edge. Each session is its own object (`idFromName` of its key),
 * which holds its record, its lock and the lock's fencing token; each user
 * has an index object for `listByUser` / `deleteByUser`. Talks to the objects
 * by Workers RPC (compatibility date 2024-04-03 or later).
 *
 * Capabilities: a lock with lease renewal and fencing (lock + read in one
 * call, change + release in one), `touch`, and the per-user index.
 *
 * @example
 * ```ts
 * import { Sessions } from 'latchkey'
 * import { withSessions } from 'latchkey/fetch'
 * import { DurableObjectStore, type SessionsNamespace } from 'latchkey/stores/durable-object'
 * export { LatchkeySessionsObject } from 'latchkey/stores/durable-object'
 *
 * export default {
 *   fetch(request: Request, env: { SESSIONS: SessionsNamespace }) {
 *     const sessions = new Sessions({ store: new DurableObjectStore({ namespace: env.SESSIONS }) })
 *     return withSessions([sessions], async (req) => {
 *       await using s = await sessions.of(req).lock()
 *       s.set('n', (s.get('n') ?? 0) + 1)
 *       return Response.json({ n: s.get('n') })
 *     })(request)
 *   },
 * }
 * ```
 */
export class DurableObjectStore implements SessionStore {
  readonly name = NAME
  readonly #namespace: SessionsNamespace
  readonly #retryCapMs: number
  readonly #leases = new Set<DurableObjectLease>()

  constructor(options: DurableObjectStoreOptions) {
    if (typeof options?.namespace?.idFromName !== 'function')
      throw new SessionConfigError(
        'DurableObjectStore needs { namespace }: the Durable Object binding of LatchkeySessionsObject',
      )
    this.#namespace = options.namespace
    this.#retryCapMs =
      seconds(options.lockRetryDelay ?? 0.025, 'lockRetryDelay', { max: MAX_TIMER_SECONDS }) * 1000
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    return recordOf(await this.#call('get', () => this.#session(key).sessionRead()))
  }

  async set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    const row = rowOf(record, ttlSeconds)
    await this.#indexRow(row, key)
    await this.#call('set', () => this.#session(key).sessionWrite(row))
  }

  async delete(key: string): Promise<void> {
    await this.#call('delete', () => this.#session(key).sessionDelete())
  }

  async touch(
    key: string,
    times: Pick<StoredRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<boolean> {
    const until = Math.min(times.expiresAt, Date.now() + ttlSeconds * 1000)
    const { lastSeenAt, expiresAt } = times
    const userId = await this.#call('touch', () =>
      this.#session(key).sessionTouch({ lastSeenAt, expiresAt }, until),
    )
    if (userId === undefined) return false
    if (userId !== '') await this.#index(userId, key, until)
    return true
  }

  /**
   * Takes the session's lock for `leaseMs` (renewed while held) and reads the
   * record in the same call. Busy: tries again with jittered exponential
   * backoff up to `lockRetryDelay` until `waitMs` has passed.
   *
   * @throws {SessionLockTimeoutError} when the lock stays busy for `waitMs`.
   * @throws {SessionStoreError} when the object or the call fails.
   */
  async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    const token = crypto.randomUUID()
    const leaseMs = Math.max(1, Math.ceil(options.leaseMs))
    const object = this.#session(key)
    return pollLock({
      waitMs: options.waitMs,
      firstPauseMs: FIRST_RETRY_MS,
      maxPauseMs: this.#retryCapMs,
      attempt: async () => {
        const attempt = await this.#call('lock', () => object.lockTry(token, leaseMs))
        if (!attempt.taken) return undefined
        const lease = new DurableObjectLease(
          {
            renew: () => this.#call('renew', () => object.lockRenew(token, leaseMs)),
            commit: (change) => this.#commit(key, token, change),
            ended: (ended) => this.#leases.delete(ended),
          },
          leaseMs,
          recordOf(attempt.row),
        )
        this.#leases.add(lease)
        return lease
      },
      // The call may have taken the lock before it failed: release it by its token.
      giveBack: () => giveBack(() => object.lockCommit(token, { type: 'none' }), leaseMs),
    })
  }

  /** The live sessions of a user, each read from its own object. */
  async listByUser(userId: string): Promise<IndexedSession[]> {
    const entries = await this.#call('listByUser', () => this.#user(userId).indexList())
    const found = await Promise.all(
      entries.map(async ([key]) => {
        const row = await this.#call('listByUser', () => this.#session(key).sessionRead())
        return row?.userId === userId ? { key, record: recordOf(row) as StoredRecord } : undefined
      }),
    )
    return found.filter((entry) => entry !== undefined)
  }

  /**
   * Deletes a user's sessions but `exceptKey`, each in its own object, which
   * checks the session still belongs to the user. A session locked by a
   * request stays deleted: that request's commit finds no record. A session
   * indexed but not yet written (a login in flight) is never written: its
   * object refuses the user's records until the entry would have expired.
   */
  async deleteByUser(userId: string, options: { exceptKey?: string } = {}): Promise<string[]> {
    const index = this.#user(userId)
    const entries = (await this.#call('deleteByUser', () => index.indexList())).filter(
      ([key]) => key !== options.exceptKey,
    )
    const deleted = await Promise.all(
      entries.map(([key, until]) =>
        this.#call('deleteByUser', () => this.#session(key).revoke(userId, until)),
      ),
    )
    if (entries.length > 0) await this.#call('deleteByUser', () => index.indexRemove(entries))
    return entries.filter((_, i) => deleted[i]).map(([key]) => key)
  }

  /** Stops the renewal of leases still held: they then end with their lease. */
  async close(): Promise<void> {
    for (const lease of this.#leases) lease.stopRenewal()
    this.#leases.clear()
  }

  async #commit(
    key: string,
    token: string,
    change: LeaseChange | undefined,
  ): Promise<CommitOutcome> {
    let rowChange: RowChange = change?.type === 'delete' ? change : { type: 'none' }
    if (change?.type === 'set') {
      const row = rowOf(change.record, change.ttlSeconds)
      await this.#indexRow(row, key)
      rowChange = { type: 'set', row }
    }
    return this.#call('commit', () => this.#session(key).lockCommit(token, rowChange))
  }

  /** Indexes a session before it is written, so that a racing `deleteByUser` finds it. */
  async #indexRow(row: SessionRow, key: string): Promise<void> {
    if (row.userId !== undefined) await this.#index(row.userId, key, row.until)
  }

  async #index(userId: string, key: string, until: number): Promise<void> {
    await this.#call('index', () => this.#user(userId).indexAdd(key, until))
  }

  #session(key: string): SessionsObjectRpc {
    return this.#namespace.get(this.#namespace.idFromName(`session:${key}`))
  }

  #user(userId: string): SessionsObjectRpc {
    return this.#namespace.get(this.#namespace.idFromName(`user:${userId}`))
  }

  /** Runs one call; a failing object or call becomes a `SessionStoreError` (503). */
  async #call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (isSessionError(error)) throw error
      throw new SessionStoreError(NAME, `${operation} failed: ${messageOf(error)}`, {
        cause: error,
      })
    }
  }
}
