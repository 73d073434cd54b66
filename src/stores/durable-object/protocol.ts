/**
 * What the store and the Durable Object say to each other over Workers RPC.
 * Records travel as JSON text: the object never parses data it only keeps.
 */

/** A session as its object keeps it. */
export interface SessionRow {
  /** The `StoredRecord`, as JSON. */
  json: string
  /** The record's `userId`, read by revocations without parsing `json`. */
  userId?: string
  /** When the object drops the row, in milliseconds since the epoch. */
  until: number
}

/** What a commit applies, besides releasing the lock. */
export type RowChange = { type: 'none' } | { type: 'delete' } | { type: 'set'; row: SessionRow }

/** How a commit ended: `lost` when the token no longer held the lock (nothing written). */
export type CommitOutcome = 'lost' | 'written' | 'missing'

/** A lock attempt: `taken` with the row read in the same step, or busy. */
export type LockAttempt = { taken: true; row: SessionRow | undefined } | { taken: false }

/** An entry of a user's index: a session key and the expiry it was indexed with. */
export type IndexEntry = [key: string, until: number]

/**
 * The RPC methods of `LatchkeySessionsObject`. An object is either one
 * session (the `session*`, `lock*` and `revoke` methods) or one user's index
 * (the `index*` methods), by the name it was reached by.
 */
export interface SessionsObjectRpc {
  sessionRead(): Promise<SessionRow | undefined>
  /** Writes the row; false when a revocation of its user bars this key. */
  sessionWrite(row: SessionRow): Promise<boolean>
  sessionDelete(): Promise<void>
  /** Moves the record's times; the record's userId (`''` for none), `undefined` when missing. */
  sessionTouch(
    times: { lastSeenAt: number; expiresAt: number },
    until: number,
  ): Promise<string | undefined>
  lockTry(token: string, leaseMs: number): Promise<LockAttempt>
  lockRenew(token: string, leaseMs: number): Promise<boolean>
  lockCommit(token: string, change: RowChange): Promise<CommitOutcome>
  /** Deletes the session if it is `userId`'s and bars that user's records here until `until`. */
  revoke(userId: string, until: number): Promise<boolean>
  indexAdd(key: string, until: number): Promise<void>
  indexList(): Promise<IndexEntry[]>
  /** Removes the entries still indexed with the expiry they were read with. */
  indexRemove(entries: IndexEntry[]): Promise<void>
}
