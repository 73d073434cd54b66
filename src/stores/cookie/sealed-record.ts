import type { SessionRecord } from '../../core/store.js'

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value)

const optional = (value: unknown, check: (value: unknown) => boolean): boolean =>
  value === undefined || check(value)

/**
 * The record in a decrypted cookie, or `undefined` when it does not have a
 * record's shape. Tokens are authenticated, but the key may be shared with
 * other programs (Python's Fernet, an older version of this one), so the
 * manager is never handed a record it would trip over.
 */
export function parseSealedRecord(plaintext: Buffer): SessionRecord | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(plaintext.toString('utf8'))
  } catch {
    return undefined
  }
  if (!isPlainObject(parsed)) return undefined
  const record = parsed
  const valid =
    isPlainObject(record.data) &&
    isTime(record.createdAt) &&
    isTime(record.lastSeenAt) &&
    isTime(record.expiresAt) &&
    optional(record.absoluteExpiresAt, isTime) &&
    optional(record.ttl, (ttl) => isTime(ttl) && ttl > 0) &&
    optional(record.persistent, (value) => typeof value === 'boolean') &&
    optional(record.userId, (value) => typeof value === 'string') &&
    optional(record.userAgent, (value) => typeof value === 'string') &&
    optional(record.id, (value) => typeof value === 'string')
  return valid ? (record as unknown as SessionRecord) : undefined
}
