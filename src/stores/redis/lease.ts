import { SessionLockLostError, SessionUsageError } from '../../core/errors.js'
import type { LeaseChange, SessionRecord, StoreLease } from '../../core/store.js'
import type { Script } from './client.js'
import { encodeRecord } from './codec.js'
import { COMMIT, RENEW } from './scripts.js'

/** What a lease needs from its store. */
export interface LeaseHost {
  /** Runs a script under the store's deadline. */
  run(operation: string, script: Script, keys: string[], args: string[]): Promise<unknown>
  /** Adds a session to its user's index; done before the session is written. */
  index(userId: string, key: string, ttlSeconds: number): Promise<void>
  /** Forgets a lease that ended, so `close()` does not wait on it. */
  ended(lease: RedisLease): void
}

/**
 * A held Redis lock: renewed every third of its lease while held, released
 * by the commit script, which writes only while the token still holds the lock.
 */
export class RedisLease implements StoreLease {
  readonly record: SessionRecord | undefined
  readonly #host: LeaseHost
  readonly #key: string
  readonly #keys: [data: string, lock: string]
  readonly #token: string
  readonly #leaseMs: number
  #renewal: NodeJS.Timeout | undefined
  #renewing = false
  #committed = false

  constructor(
    host: LeaseHost,
    key: string,
    keys: [data: string, lock: string],
    token: string,
    leaseMs: number,
    record: SessionRecord | undefined,
  ) {
    this.#host = host
    this.#key = key
    this.#keys = keys
    this.#token = token
    this.#leaseMs = leaseMs
    this.record = record
    this.#renewal = setInterval(() => this.#renew(), Math.max(1, Math.floor(leaseMs / 3)))
    this.#renewal.unref()
  }

  async commit(change?: LeaseChange): Promise<boolean> {
    if (this.#committed) throw new SessionUsageError('this lock was already released')
    this.#committed = true
    this.stopRenewal()
    this.#host.ended(this)
    const args = [this.#token, change?.type ?? 'none']
    if (change?.type === 'set') {
      const fields = encodeRecord(change.record)
      if (change.record.userId !== undefined)
        await this.#host.index(change.record.userId, this.#key, change.ttlSeconds)
      args.push(...fields, String(change.ttlSeconds))
    }
    const result = Number(await this.#host.run('commit', COMMIT, this.#keys, args))
    if (result === -1) {
      // Without a change there is nothing to protect: the lock is gone either way.
      if (change) throw new SessionLockLostError()
      return true
    }
    return result === 1
  }

  /** Stops renewing; the lock then ends with its lease unless committed first. */
  stopRenewal(): void {
    clearInterval(this.#renewal)
    this.#renewal = undefined
  }

  #renew(): void {
    if (this.#renewing) return
    this.#renewing = true
    this.#host
      .run('renew', RENEW, [this.#keys[1]], [this.#token, String(this.#leaseMs)])
      .then((renewed) => {
        if (Number(renewed) !== 1) this.stopRenewal()
      })
      // A failed renewal is retried at the next tick; the commit's fencing check has the last word.
      .catch(() => {})
      .finally(() => {
        this.#renewing = false
      })
  }
}
