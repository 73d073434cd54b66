import type { Buffer } from 'node:buffer'
import type { StoredRecord } from '../../core/store.js'

/**
 * The plaintext of a sealed cookie: the record as a short JSON array, because
 * every byte of it travels with every request and response.
 *
 * `[data, id, lastSeen, age, idle, extras?]`
 *
 * - `data`: the application's data, or the string the manager's `serializer` made of it;
 * - `id`: the session id, or `null`;
 * - `lastSeen`: `lastSeenAt` in milliseconds after the token's timestamp
 *   (seconds), so 0–999 for a record sealed when it was written;
 * - `age`: `lastSeenAt − createdAt`, in milliseconds;
 * - `idle`: `expiresAt − lastSeenAt`, in seconds (a fraction for milliseconds),
 *   usually the `ttl`;
 * - `extras`, only when one of them is set: `{ a, t, u, i, p, g }` =
 *   `absoluteExpiresAt − createdAt` in seconds, `ttl`, `user`, `userId`,
 *   `persistent`, `userAgent`.
 *
 * Times are whole milliseconds (as `Date.now()` gives), so every field comes
 * back exactly as sealed.
 */
type SealedRecord = [
  data: StoredRecord['data'],
  id: string | null,
  lastSeen: number,
  age: number,
  idle: number,
  extras?: Extras,
]

interface Extras {
  a?: number
  t?: number
  u?: unknown
  i?: string
  p?: boolean
  g?: string
}

/** The JSON sealed for `record` in a token dated `timestamp` (seconds since the epoch). */
export function encodeSealedRecord(record: StoredRecord, timestamp: number): string {
  const { lastSeenAt, createdAt } = record
  const sealed: SealedRecord = [
    record.data,
    record.id ?? null,
    lastSeenAt - timestamp * 1000,
    lastSeenAt - createdAt,
    (record.expiresAt - lastSeenAt) / 1000,
  ]
  const { absoluteExpiresAt, ttl, user, userId, persistent, userAgent } = record
  if (
    absoluteExpiresAt !== undefined ||
    ttl !== undefined ||
    user !== undefined ||
    userId !== undefined ||
    persistent !== undefined ||
    userAgent !== undefined
  ) {
    const extras: Extras = {}
    if (absoluteExpiresAt !== undefined) extras.a = (absoluteExpiresAt - createdAt) / 1000
    if (ttl !== undefined) extras.t = ttl
    if (user !== undefined) extras.u = user
    if (userId !== undefined) extras.i = userId
    if (persistent !== undefined) extras.p = persistent
    if (userAgent !== undefined) extras.g = userAgent
    sealed[5] = extras
  }
  return JSON.stringify(sealed)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value)

const optional = (value: unknown, check: (value: unknown) => boolean): boolean =>
  value === undefined || check(value)

const fromSeconds = (seconds: number): number => Math.round(seconds * 1000)

/**
 * The record in a decrypted cookie dated `timestamp`, or `undefined` when it
 * does not have a sealed record's shape. Tokens are authenticated, but the key
 * may be shared with other programs (Python's Fernet), so the manager is never
 * handed a record it would trip over.
 */
export function decodeSealedRecord(plaintext: Buffer, timestamp: number): StoredRecord | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(plaintext.toString('utf8'))
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed) || parsed.length < 5 || parsed.length > 6) return undefined
  const [data, id, lastSeen, age, idle, extras = {}] = parsed as unknown[]
  if (
    !(isPlainObject(data) || typeof data === 'string') ||
    (id !== null && typeof id !== 'string') ||
    !isTime(lastSeen) ||
    !isTime(age) ||
    !isTime(idle) ||
    !isPlainObject(extras) ||
    !optional(extras.a, isTime) ||
    !optional(extras.t, (ttl) => isTime(ttl) && ttl > 0) ||
    !optional(extras.i, (value) => typeof value === 'string') ||
    !optional(extras.p, (value) => typeof value === 'boolean') ||
    !optional(extras.g, (value) => typeof value === 'string')
  ) {
    return undefined
  }
  const lastSeenAt = timestamp * 1000 + lastSeen
  const createdAt = lastSeenAt - age
  const record: StoredRecord = {
    data,
    createdAt,
    lastSeenAt,
    expiresAt: lastSeenAt + fromSeconds(idle),
  }
  if (extras.a !== undefined) record.absoluteExpiresAt = createdAt + fromSeconds(extras.a as number)
  if (extras.t !== undefined) record.ttl = extras.t as number
  if (extras.u !== undefined) record.user = extras.u
  if (extras.i !== undefined) record.userId = extras.i as string
  if (extras.p !== undefined) record.persistent = extras.p as boolean
  if (extras.g !== undefined) record.userAgent = extras.g as string
  if (id !== null) record.id = id
  return record
}
