import { SessionLockLostError, SessionUsageError } from '../../core/errors.js'
import type { LeaseChange, StoredRecord, StoreLease } from '../../core/store.js'
import { LeaseRenewal } from '../shared/lease-renewal.js'
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
  readonly record: StoredRecord | undefined
  readonly #host: LeaseHost
  readonly #key: string
  readonly #keys: [data: string, lock: string, revoked: string]
  readonly #token: string
  readonly #renewal: LeaseRenewal
  #committed = false

  constructor(
    host: LeaseHost,
    key: string,
    keys: [data: string, lock: string, revoked: string],
    token: string,
    leaseMs: number,
    record: StoredRecord | undefined,
  ) {
    this.#host = host
    this.#key = key
    this.#keys = keys
    this.#token = token
    this.record = record
    this.#renewal = new LeaseRenewal(Math.max(1, Math.floor(leaseMs / 3)), () =>
      host
        .run('renew', RENEW, [keys[1]], [token, String(leaseMs)])
        .then((renewed) => Number(renewed) === 1),
    )
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
    this.#renewal.stop()
  }
}
