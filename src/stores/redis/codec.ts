import { Buffer } from 'node:buffer'
import type { StoredRecord } from '../../core/store.js'

/** A record as the hash fields the scripts write: json (no times), lastSeenAt, expiresAt, userId. */
export function encodeRecord(record: StoredRecord): [string, string, string, string] {
  const { lastSeenAt, expiresAt, ...rest } = record
  return [JSON.stringify(rest), String(lastSeenAt), String(expiresAt), record.userId ?? '']
}

/** The record from the reply of `HMGET r s e`; undefined when missing or expired. */
export function decodeRecord(reply: unknown, now = Date.now()): StoredRecord | undefined {
  if (!Array.isArray(reply)) return undefined
  const [json, seen, expires] = reply as unknown[]
  if (typeof json !== 'string' && !Buffer.isBuffer(json)) return undefined
  const expiresAt = Number(String(expires))
  if (!(expiresAt > now)) return undefined
  const record = JSON.parse(String(json)) as StoredRecord
  record.lastSeenAt = Number(String(seen))
  record.expiresAt = expiresAt
  return record
}
