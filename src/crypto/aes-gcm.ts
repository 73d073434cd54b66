import { Buffer } from 'node:buffer'
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import { isFernetKey, MAX_CLOCK_SKEW_SECONDS, nowSeconds, type SealedMessage } from './fernet.js'

/**
 * latchkey's AES-256-GCM tokens, for cookies that no other program has to read.
 *
 * Layout: `0xA2 | timestamp (u64 BE, seconds) | key id (4) | salt (12) | nonce (12) | ciphertext | tag (16)`,
 * in url-safe base64 without padding. The first 37 bytes are the GCM's additional data.
 *
 * Each token is sealed under its own AES-256 key, HMAC-SHA256 of its random salt
 * under the configured key (HMAC as the key-derivation function, as in HKDF's
 * expand step and NIST SP 800-108), with a random nonce. One key with random
 * nonces alone repeats a nonce with a chance that matters after about 2³² tokens,
 * which a busy site seals within days; with the salt, key and nonce repeat together
 * only when 24 random bytes do. (XAES-256-GCM derives its keys the same way.)
 *
 * The configured keys are the same 32-byte keys as Fernet's (`generateKey()`), so a
 * store can move between formats with its keys; the derivation's label keeps the two uses apart.
 *
 * @module
 */

const VERSION = 0xa2
const TIMESTAMP_OFFSET = 1
const KEY_ID_OFFSET = 9
const SALT_OFFSET = 13
const NONCE_OFFSET = 25
const CIPHERTEXT_OFFSET = 37
const KEY_ID_BYTES = 4
const TAG_BYTES = 16
const MIN_TOKEN_BYTES = CIPHERTEXT_OFFSET + TAG_BYTES
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/
const DERIVE_LABEL = 'latchkey cookie aes-256-gcm v1'
const KEY_ID_INFO = 'latchkey cookie key id v1'

/** Whether `token` is in this format (by its first byte, which base64url spells `og`). */
export function isAesGcmToken(token: string): boolean {
  return token.startsWith('og')
}

interface GcmKey {
  secret: Buffer
  id: Buffer
}

/**
 * AES-256-GCM with one or several keys: the first key seals, every key opens,
 * and {@link SealedMessage.keyIndex} tells which one did.
 *
 * @example
 * ```ts
 * const gcm = new AesGcm([currentKey, previousKey])
 * const token = gcm.encrypt('hello')
 * gcm.decrypt(token)?.plaintext.toString() // 'hello'
 * ```
 */
export class AesGcm {
  readonly #keys: GcmKey[]

  /** @throws {TypeError} when a key is not 32 bytes in base64 (see `isFernetKey`). */
  constructor(keys: string | readonly string[]) {
    const list = typeof keys === 'string' ? [keys] : keys
    if (list.length === 0) throw new TypeError('AesGcm needs at least one key')
    this.#keys = list.map((key, index) => parseKey(key, index))
  }

  /**
   * Seals `plaintext` (a string is UTF-8 encoded) under the first key.
   *
   * @param timestamp the token's time in seconds since the epoch. @default now
   */
  encrypt(plaintext: string | Uint8Array, timestamp: number = nowSeconds()): string {
    const message = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
    const key = this.#keys[0] as GcmKey
    const header = Buffer.alloc(CIPHERTEXT_OFFSET)
    header[0] = VERSION
    header.writeUInt32BE(Math.floor(timestamp / 2 ** 32), TIMESTAMP_OFFSET)
    header.writeUInt32BE(timestamp % 2 ** 32, TIMESTAMP_OFFSET + 4)
    key.id.copy(header, KEY_ID_OFFSET)
    randomBytes(CIPHERTEXT_OFFSET - SALT_OFFSET).copy(header, SALT_OFFSET)
    const cipher = createCipheriv('aes-256-gcm', tokenKey(key, header), nonceOf(header))
    cipher.setAAD(header)
    const sealed = Buffer.concat([
      header,
      cipher.update(message),
      cipher.final(),
      cipher.getAuthTag(),
    ])
    return sealed.toString('base64url')
  }

  /**
   * Opens a token. `undefined` for anything that is not a valid token under one
   * of the keys or is dated more than {@link MAX_CLOCK_SKEW_SECONDS} ahead.
   * Never throws for any string.
   */
  decrypt(token: string): SealedMessage | undefined {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined
    const bytes = Buffer.from(token, 'base64url')
    if (bytes.length < MIN_TOKEN_BYTES || bytes[0] !== VERSION) return undefined
    const timestamp =
      bytes.readUInt32BE(TIMESTAMP_OFFSET) * 2 ** 32 + bytes.readUInt32BE(TIMESTAMP_OFFSET + 4)
    if (timestamp > nowSeconds() + MAX_CLOCK_SKEW_SECONDS) return undefined
    const keyId = bytes.subarray(KEY_ID_OFFSET, SALT_OFFSET)
    const header = bytes.subarray(0, CIPHERTEXT_OFFSET)
    const ciphertext = bytes.subarray(CIPHERTEXT_OFFSET, bytes.length - TAG_BYTES)
    const tag = bytes.subarray(bytes.length - TAG_BYTES)
    for (let keyIndex = 0; keyIndex < this.#keys.length; keyIndex++) {
      const key = this.#keys[keyIndex] as GcmKey
      if (!timingSafeEqual(key.id, keyId)) continue
      const plaintext = open(key, header, ciphertext, tag)
      if (plaintext) return { plaintext, timestamp, keyIndex }
    }
    return undefined
  }
}

function parseKey(key: string, index: number): GcmKey {
  if (!isFernetKey(key))
    throw new TypeError(
      `AES-GCM key ${index} must be 32 bytes in url-safe base64 (44 characters, as generateKey() makes)`,
    )
  const secret = Buffer.from(key.replaceAll('+', '-').replaceAll('/', '_'), 'base64url')
  // A key id lets a token name its key without trying each; it says nothing of the key.
  const id = createHmac('sha256', secret).update(KEY_ID_INFO).digest().subarray(0, KEY_ID_BYTES)
  return { secret, id }
}

/** The token's own AES-256 key: HMAC-SHA256 of its salt, labelled, under the configured key. */
function tokenKey(key: GcmKey, header: Buffer): Buffer {
  return createHmac('sha256', key.secret)
    .update(DERIVE_LABEL)
    .update(header.subarray(SALT_OFFSET, NONCE_OFFSET))
    .digest()
}

const nonceOf = (header: Buffer): Buffer => header.subarray(NONCE_OFFSET, CIPHERTEXT_OFFSET)

function open(key: GcmKey, header: Buffer, ciphertext: Buffer, tag: Buffer): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', tokenKey(key, header), nonceOf(header))
  decipher.setAAD(header)
  decipher.setAuthTag(tag)
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    return undefined
  }
}
