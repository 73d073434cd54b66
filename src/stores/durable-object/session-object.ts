import type { CommitOutcome, LockAttempt, RowChange, SessionRow } from './protocol.js'
import { cleanUpBy, type DurableObjectStorageLike, deleteKeys } from './storage.js'

interface Lock {
  token: string
  until: number
}

/** The users whose `deleteByUser` covered this key, each until when its writes are refused. */
type Revocations = Record<string, number>

/**
 * One session's object: its row, its lock and its revocations. Each method is
 * atomic because workerd delivers no other call to the object while one of
 * its storage operations is pending (the input gate), and these methods await
 * nothing else.
 */
export class SessionObject {
  readonly #storage: DurableObjectStorageLike

  constructor(storage: DurableObjectStorageLike) {
    this.#storage = storage
  }

  async read(): Promise<SessionRow | undefined> {
    const row = await this.#storage.get<SessionRow>('row')
    return row && row.until > Date.now() ? row : undefined
  }

  async write(row: SessionRow): Promise<boolean> {
    if (await this.#barred(row)) return false
    await this.#storage.put('row', row)
    await cleanUpBy(this.#storage, row.until)
    return true
  }

  async delete(): Promise<void> {
    await this.#storage.delete('row')
  }

  async touch(
    times: { lastSeenAt: number; expiresAt: number },
    until: number,
  ): Promise<string | undefined> {
    const row = await this.read()
    if (!row) return undefined
    const record = { ...JSON.parse(row.json), ...times }
    await this.#storage.put('row', { ...row, json: JSON.stringify(record), until })
    await cleanUpBy(this.#storage, until)
    return row.userId ?? ''
  }

  async tryLock(token: string, leaseMs: number): Promise<LockAttempt> {
    const held = await this.#storage.get<Lock>('lock')
    if (held && held.until > Date.now()) return { taken: false }
    const until = Date.now() + leaseMs
    await this.#storage.put('lock', { token, until })
    await cleanUpBy(this.#storage, until)
    return { taken: true, row: await this.read() }
  }

  async renew(token: string, leaseMs: number): Promise<boolean> {
    if (!(await this.#holds(token))) return false
    await this.#storage.put('lock', { token, until: Date.now() + leaseMs })
    return true
  }

  /** The fencing check, the change and the release, in one step. */
  async commit(token: string, change: RowChange): Promise<CommitOutcome> {
    if (!(await this.#holds(token))) return 'lost'
    await this.#storage.delete('lock')
    if (change.type === 'delete') await this.delete()
    if (change.type !== 'set') return 'written'
    // A session revoked while locked stays revoked.
    if (!(await this.read())) return 'missing'
    return (await this.write(change.row)) ? 'written' : 'missing'
  }

  /**
   * A login indexes its session before writing it, so `deleteByUser` can
   * revoke a key whose write is still on its way: the bar refuses that write
   * until the index entry would have expired, which no record written after
   * the entry outlives.
   */
  async revoke(userId: string, until: number): Promise<boolean> {
    if (until > Date.now()) {
      const revoked = (await this.#storage.get<Revocations>('revoked')) ?? {}
      revoked[userId] = Math.max(revoked[userId] ?? 0, until)
      await this.#storage.put('revoked', revoked)
      await cleanUpBy(this.#storage, until)
    }
    const row = await this.read()
    if (row?.userId !== userId) return false
    await this.delete()
    return true
  }

  /** The alarm: drops what has expired, and sets the alarm again for what has not. Keys of the index role are not its to touch. */
  async cleanUp(): Promise<void> {
    const now = Date.now()
    const row = await this.#storage.get<SessionRow>('row')
    const lock = await this.#storage.get<Lock>('lock')
    const revoked = Object.entries((await this.#storage.get<Revocations>('revoked')) ?? {}).filter(
      ([, until]) => until > now,
    )
    const later = [row?.until, lock?.until, ...revoked.map(([, until]) => until)].filter(
      (until): until is number => until !== undefined && until > now,
    )
    const expired = [
      row && row.until <= now ? 'row' : undefined,
      lock && lock.until <= now ? 'lock' : undefined,
      revoked.length === 0 ? 'revoked' : undefined,
    ].filter((name) => name !== undefined)
    await deleteKeys(this.#storage, expired)
    if (revoked.length > 0) await this.#storage.put('revoked', Object.fromEntries(revoked))
    if (later.length > 0) await this.#storage.setAlarm(Math.max(...later))
  }

  async #holds(token: string): Promise<boolean> {
    const held = await this.#storage.get<Lock>('lock')
    return held?.token === token && held.until > Date.now()
  }

  async #barred(row: SessionRow): Promise<boolean> {
    if (row.userId === undefined) return false
    const revoked = await this.#storage.get<Revocations>('revoked')
    return (revoked?.[row.userId] ?? 0) > Date.now()
  }
}
