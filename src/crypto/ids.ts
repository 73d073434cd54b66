import { hash, randomBytes } from 'node:crypto'

/** 32 random bytes in base64url, unpadded: 43 characters. */
const ID_LENGTH = 43

/** 1 at the char codes of the base64url alphabet. */
const BASE64URL = new Uint8Array(128)
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
  BASE64URL[char.charCodeAt(0)] = 1

/** A new 256-bit random session id, base64url. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url')
}

/** Whether a client-supplied value has the shape of an id we could have minted. */
export function isWellFormedSessionId(value: string): boolean {
  if (value.length !== ID_LENGTH) return false
  // A table lookup per character rather than a regular expression: every
  // request with a cookie runs this.
  for (let i = 0; i < ID_LENGTH; i++) if (BASE64URL[value.charCodeAt(i)] !== 1) return false
  return true
}

/**
 * The key a session is stored under: SHA-256 of its id, base64url. A dump of a
 * store therefore yields no cookie that would be accepted. A plain hash suffices
 * (no salt or HMAC) because ids carry 256 bits of entropy.
 */
export function hashSessionId(id: string): string {
  return hash('sha256', id, 'base64url')
}
