import { randomUUID } from 'node:crypto'
import { ageBucketOf, emptyAgeBuckets } from '../../core/age-buckets.js'
import { emitWarning } from '../../core/emit-warning.js'
import { messageOf, SessionConfigError, SessionStoreError } from '../../core/errors.js'
import { MAX_TIMER_SECONDS, seconds } from '../../core/seconds.js'
import type {
  IndexedSession,
  SessionStore,
  StoredRecord,
  StoreLease,
  StoreLockOptions,
  StoreStats,
} from '../../core/store.js'
import { pollLock } from '../shared/poll-lock.js'
import { type RedisClientLike, RedisCommands } from './client.js'
import { decodeRecord, encodeRecord } from './codec.js'
import { KeyLayout } from './keys.js'
import { type LeaseHost, RedisLease } from './lease.js'
import { COMMIT, INDEX, LOCK, REVOKE, SET, TOUCH, UNINDEX } from './scripts.js'

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * Your connected client: node-redis v5+ (`createClient()` or `createCluster()`
   * from `redis`) or ioredis (`new Redis()` or `new Redis.Cluster()`). The store
   * never connects, configures or closes it.
   */
  client: RedisClientLike
  /**
   * Prepended to every key. Must not contain `{` or `}` (they would change the
   * cluster hash tag).
   * @default 'latchkey:'
   */
  prefix?: string
  /**
   * Seconds any single Redis command may take before the operation fails with
   * `SessionStoreError` (answered 503), so a frozen or unreachable Redis never
   * hangs a request. A lock wait adds `lock.timeout` on top. Commands sent
   * within the same tenth of it (at most 100 ms) share one timer, so a command
   * fails at most that much later. With node-redis this replaces the client's
   * own per-command timeout for the store's commands: they are aborted at this
   * deadline instead.
   * @default 2
   */
  commandTimeout?: number
  /**
   * Longest pause, in seconds, between two tries to take a lock another
   * process holds. Tries back off exponentially with jitter up to this cap.
   * @default 0.025
   */
  lockRetryDelay?: number
}

const FIRST_RETRY_MS = 2
const CLIENT_WARNING_INTERVAL_MS = 10_000

/** The record in a reply; a record latchkey cannot read is a store error. */
function decoded(operation: string, reply: unknown, now?: number): StoredRecord | undefined {
  try {
    return decodeRecord(reply, now)
  } catch (error) {
    throw new SessionStoreError('redis', `${operation} failed: ${messageOf(error)}`, {
      cause: error,
    })
  }
}

/**
 * The `[member, score]` pairs of a `ZRANGE … WITHSCORES` reply: a flat list
 * in RESP2, a list of pairs in RESP3.
 */
function scoredMembers(reply: unknown): Array<[string, string]> {
  const items = reply as unknown[]
  if (items.every(Array.isArray))
    return items.map((pair) => [String(pair[0]), String(pair[1])] as [string, string])
  const pairs: Array<[string, string]> = []
  for (let i = 0; i + 1 < items.length; i += 2) pairs.push([String(items[i]), String(items[i + 1])])
  return pairs
}

interface ErrorEmitter {
  on(event: 'error', listener: (error: unknown) => void): unknown
  off(event: 'error', listener: (error: unknown) => void): unknown
  listenerCount(event: 'error'): number
}

function isErrorEmitter(client: unknown): client is ErrorEmitter {
  const c = client as Partial<ErrorEmitter>
  return (
    typeof c.on === 'function' &&
    typeof c.off === 'function' &&
    typeof c.listenerCount === 'function'
  )
}

/**
 * Sessions in Redis or Redis Cluster, shared by every
 * process and host using the same Redis. Takes the client you already have.
 *
 * Capabilities: a distributed lock with lease renewal and a fencing check on
 * writes (lock + read in one round trip, write + unlock in one), `touch`
 * without rewriting data, and a per-user index for listing and revoking a
 * user's sessions. Every operation has a deadline (`commandTimeout`).
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * import { RedisStore } from 'latchkey/stores/redis'
 * const client = await createClient({ url: process.env.REDIS_URL }).connect()
 * const sessions = new Sessions({ store: new RedisStore({ client }) })
 * ```
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const store = new RedisStore({ client: new Redis(process.env.REDIS_URL), prefix: 'myapp:' })
 * ```
 */
export class RedisStore implements SessionStore {
  readonly name = 'redis'
  readonly #redis: RedisCommands
  readonly #keys: KeyLayout
  readonly #retryCapMs: number
  readonly #leases = new Set<RedisLease>()
  readonly #host: LeaseHost
  #detach: (() => void) | undefined

  constructor(options: RedisStoreOptions) {
    if (typeof options !== 'object' || options === null)
      throw new SessionConfigError('RedisStore needs options with a `client`')
    const prefix = options.prefix ?? 'latchkey:'
    if (typeof prefix !== 'string' || /[{}]/.test(prefix))
      throw new SessionConfigError(`prefix must be a string without { or }, got ${String(prefix)}`)
    const timeoutMs =
      seconds(options.commandTimeout ?? 2, 'commandTimeout', { max: MAX_TIMER_SECONDS }) * 1000
    this.#redis = new RedisCommands(options.client, timeoutMs)
    this.#keys = new KeyLayout(prefix)
    this.#retryCapMs =
      seconds(options.lockRetryDelay ?? 0.025, 'lockRetryDelay', { max: MAX_TIMER_SECONDS }) * 1000
    this.#host = {
      run: (operation, script, keys, args) => this.#redis.eval(operation, script, keys, args),
      index: (userId, key, ttlSeconds) => this.#index(userId, key, ttlSeconds),
      ended: (lease) => this.#leases.delete(lease),
    }
    this.#guardClientErrors(options.client)
  }

  async get(key: string): Promise<StoredRecord | undefined> {
    const data = this.#keys.data(key)
    return decoded('get', await this.#redis.command('get', data, ['HMGET', data, 'r', 's', 'e']))
  }

  async set(key: string, record: StoredRecord, ttlSeconds: number): Promise<void> {
    if (record.userId !== undefined) await this.#index(record.userId, key, ttlSeconds)
    await this.#redis.eval(
      'set',
      SET,
      [this.#keys.data(key), this.#keys.revoked(key)],
      [...encodeRecord(record), String(ttlSeconds)],
    )
  }

  async delete(key: string): Promise<void> {
    const data = this.#keys.data(key)
    await this.#redis.command('delete', data, ['DEL', data])
  }

  async touch(
    key: string,
    times: Pick<StoredRecord, 'lastSeenAt' | 'expiresAt'>,
    ttlSeconds: number,
  ): Promise<boolean> {
    const userId = await this.#redis.eval(
      'touch',
      TOUCH,
      [this.#keys.data(key)],
      [String(times.lastSeenAt), String(times.expiresAt), String(ttlSeconds)],
    )
    if (userId === null || userId === undefined) return false
    if (String(userId) !== '') await this.#index(String(userId), key, ttlSeconds)
    return true
  }

  /**
   * Takes the session's lock for `leaseMs` (renewed while held) and reads the
   * record in the same script. Busy: retries with jittered exponential backoff
   * up to `lockRetryDelay` until `waitMs` has passed.
   *
   * @throws {SessionLockTimeoutError} when the lock stays busy for `waitMs`.
   * @throws {SessionStoreError} when Redis fails or misses `commandTimeout`.
   */
  async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
    const keys: [string, string, string] = [
      this.#keys.data(key),
      this.#keys.lock(key),
      this.#keys.revoked(key),
    ]
    const token = randomUUID()
    const leaseMs = String(Math.max(1, Math.ceil(options.leaseMs)))
    return pollLock({
      waitMs: options.waitMs,
      firstPauseMs: FIRST_RETRY_MS,
      maxPauseMs: this.#retryCapMs,
      attempt: async () => {
        const read = await this.#redis.eval('lock', LOCK, keys.slice(0, 2), [token, leaseMs])
        if (read === null || read === undefined) return undefined
        const record = decoded('lock', read)
        const lease = new RedisLease(this.#host, key, keys, token, Number(leaseMs), record)
        this.#leases.add(lease)
        return lease
      },
      // The script may have run (or still run once Redis answers): release what it took.
      giveBack: () => {
        this.#redis.eval('unlock', COMMIT, keys, [token, 'none']).catch(() => {})
      },
    })
  }

  /**
   * The live sessions of a user. Works per key in a cluster (the index and the
   * sessions are in different slots). Changes nothing: an entry whose session
   * is missing may be a login whose write is still on its way, so entries
   * leave the index only with their expiry or through `deleteByUser`.
   */
  async listByUser(userId: string): Promise<IndexedSession[]> {
    const index = this.#keys.user(userId)
    const now = Date.now()
    const members = await this.#redis.command('listByUser', index, [
      'ZRANGEBYSCORE',
      index,
      String(now),
      '+inf',
    ])
    const found = await Promise.all(
      (members as unknown[]).map(async (member) => {
        const key = String(member)
        const data = this.#keys.data(key)
        const reply = (await this.#redis.command('listByUser', data, [
          'HMGET',
          data,
          'r',
          's',
          'e',
          'u',
        ])) as unknown[]
        const record = decoded('listByUser', reply, now)
        return record && String(reply[3]) === userId ? { key, record } : undefined
      }),
    )
    return found.filter((entry) => entry !== undefined)
  }

  /**
   * Deletes a user's sessions but `exceptKey`, each with a script that checks
   * the session still belongs to the user. Sessions locked by a request stay
   * deleted: that request's save finds no record. A session indexed but not
   * yet written (a login in flight) is never written: the script also bars
   * the user's records from that key until the entry would have expired.
   */
  async deleteByUser(userId: string, options: { exceptKey?: string } = {}): Promise<string[]> {
    const index = this.#keys.user(userId)
    const now = Date.now()
    const reply = await this.#redis.command('deleteByUser', index, [
      'ZRANGE',
      index,
      '0',
      '-1',
      'WITHSCORES',
    ])
    const entries = scoredMembers(reply).filter(([key]) => key !== options.exceptKey)
    const deleted = await Promise.all(
      entries.map(
        async ([key, score]) =>
          Number(
            await this.#redis.eval(
              'deleteByUser',
              REVOKE,
              [this.#keys.data(key), this.#keys.revoked(key)],
              [userId, String(Math.ceil(Number(score) - now))],
            ),
          ) === 1,
      ),
    )
    if (entries.length > 0) await this.#redis.eval('deleteByUser', UNINDEX, [index], entries.flat())
    return entries.filter((_, i) => deleted[i]).map(([key]) => key)
  }

  /**
   * Counts the sessions under the store's prefix with SCAN (never KEYS, which
   * blocks Redis), reading each one: an administrator's tool. Redis deletes
   * expired sessions itself, so `expired` only counts records past their
   * expiry whose key has not expired yet. SCAN may return a key twice while
   * Redis resizes its table, so counts are exact on a Redis of steady size.
   * On a cluster it scans every master.
   */
  async stats(): Promise<StoreStats> {
    const now = Date.now()
    const stats: StoreStats = { live: 0, authenticated: 0, expired: 0, byAge: emptyAgeBuckets() }
    for await (const page of this.#redis.scan('stats', this.#keys.dataPattern())) {
      const replies = await Promise.all(
        page.map((key) => this.#redis.command('stats', key, ['HMGET', key, 'r', 's', 'e'])),
      )
      for (const reply of replies) {
        const record = decoded('stats', reply, now)
        if (record === undefined) {
          if (Array.isArray(reply) && reply[0] !== null) stats.expired++
          continue
        }
        stats.live++
        if (record.userId !== undefined) stats.authenticated++
        const bucket = stats.byAge[ageBucketOf(now - record.createdAt)]
        if (bucket) bucket.count++
      }
    }
    return stats
  }

  /**
   * Redis expires sessions by itself, but a user's index keeps the entries of
   * expired sessions until that user logs in again or the index expires. This
   * removes them from every index under the prefix, a SCAN page at a time, and
   * returns how many; `onProgress` gets the running total after each page.
   * On a cluster it scans every master.
   */
  async sweep(onProgress?: (swept: number) => void): Promise<number> {
    let total = 0
    for await (const page of this.#redis.scan('sweep', this.#keys.userPattern())) {
      const now = String(Date.now())
      const removed = await Promise.all(
        page.map((index) =>
          this.#redis.command('sweep', index, ['ZREMRANGEBYSCORE', index, '-inf', now]),
        ),
      )
      total += removed.reduce<number>((sum, count) => sum + Number(count), 0)
      onProgress?.(total)
    }
    return total
  }

  /**
   * Stops the renewal of leases still held (they then end with their lease)
   * and removes the error listener the store added. Never closes your client.
   */
  async close(): Promise<void> {
    for (const lease of this.#leases) lease.stopRenewal()
    this.#leases.clear()
    this.#detach?.()
    this.#detach = undefined
  }

  async #index(userId: string, key: string, ttlSeconds: number): Promise<void> {
    const now = Date.now()
    const ttlMs = ttlSeconds * 1000
    await this.#redis.eval(
      'index',
      INDEX,
      [this.#keys.user(userId)],
      [String(now + ttlMs), key, String(now), String(ttlMs)],
    )
  }

  /**
   * node-redis throws an `error` event nobody listens to, which would end the
   * process when Redis goes away. When the client has no listener, the store
   * adds one that reports as a Node warning (rate-limited) and removes it on close.
   */
  #guardClientErrors(client: unknown): void {
    if (!isErrorEmitter(client) || client.listenerCount('error') > 0) return
    let lastWarning = 0
    const listener = (error: unknown) => {
      const now = Date.now()
      if (now - lastWarning < CLIENT_WARNING_INTERVAL_MS) return
      lastWarning = now
      emitWarning(
        `latchkey: the Redis client reported: ${messageOf(error)}`,
        'LATCHKEY_REDIS_CLIENT_ERROR',
        'Warning',
      )
    }
    client.on('error', listener)
    this.#detach = () => client.off('error', listener)
  }
}
