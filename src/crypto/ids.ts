import { hash, randomBytes } from 'node:crypto'

/** 32 random bytes in base64url, unpadded. */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** A new 256-bit random session id, base64url. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url')
}

/** Whether a client-supplied value has the shape of an id we could have minted. */
export function isWellFormedSessionId(value: string): boolean {
  return ID_PATTERN.test(value)
}

/**
 * The key a session is stored under: SHA-256 of its id, base64url. A dump of a
 * store therefore yields no cookie that would be accepted. A plain hash suffices
 * (no salt or HMAC) because ids carry 256 bits of entropy.
 */
export function hashSessionId(id: string): string {
  return hash('sha256', id, 'base64url')
}
