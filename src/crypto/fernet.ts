import { createSecretKey, randomBytes, randomFillSync } from 'node:crypto'
import { AesCbc } from './aes-cbc.js'
import { HmacSha256 } from './hmac-sha256.js'

/**
 * Fernet tokens, byte-compatible with Python's `cryptography.fernet`.
 *
 * Layout: `0x80 | timestamp (u64 BE, seconds) | IV (16) | AES-128-CBC/PKCS7 ciphertext | HMAC-SHA256 (32)`,
 * the HMAC covering everything before it, the whole in url-safe base64 with `=` padding.
 * Everything is synchronous: a token costs microseconds, less than a hop to the thread pool.
 * Each key keeps its HMAC pads and AES contexts for its lifetime (see {@link AesCbc},
 * {@link HmacSha256}): creating crypto objects per token cost more than the crypto.
 *
 * @see https://github.com/fernet/spec/blob/master/Spec.md
 * @module
 */

const VERSION = 0x80
const TIMESTAMP_OFFSET = 1
const IV_OFFSET = 9
const CIPHERTEXT_OFFSET = 25
const IV_BYTES = 16
const BLOCK_BYTES = 16
const HMAC_BYTES = 32
/** Version, timestamp, IV, one cipher block (PKCS7 always pads) and the HMAC. */
const MIN_TOKEN_BYTES = CIPHERTEXT_OFFSET + BLOCK_BYTES + HMAC_BYTES

/** How far in the future a token's timestamp may be (clock skew between issuers), in seconds. */
export const MAX_CLOCK_SKEW_SECONDS = 60

/** Standard or url-safe alphabet, as Python's `urlsafe_b64decode` accepts; padding optional. */
const KEY_PATTERN = /^[A-Za-z0-9_+/-]{43}=?$/
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+={0,2}$/

/**
 * A new Fernet key: 32 random bytes in url-safe base64 with padding (44
 * characters), the format of Python's `Fernet.generate_key()`.
 *
 * @example
 * ```ts
 * const key = generateKey() // e.g. 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='
 * ```
 */
export function generateKey(): string {
  return toBase64(randomBytes(32))
}

/** Whether `key` is a Fernet key (32 bytes in base64, url-safe or standard, padding optional). */
export function isFernetKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key)
}

/** A token that passed verification. */
export interface FernetMessage {
  /** The decrypted message. */
  plaintext: Buffer
  /** When the token was made, in seconds since the epoch. */
  timestamp: number
  /** Index in the key list of the key that verified the token (0: the current key). */
  keyIndex: number
}

/** Options of {@link Fernet.decrypt}. */
export interface DecryptOptions {
  /** Reject tokens older than this many seconds. @default undefined (any age) */
  ttl?: number
}

interface KeyPair {
  signing: HmacSha256
  encryption: AesCbc
}

/** Where the token starts in the buffers that hold it: the HMAC's inner pad goes first. */
const TOKEN_START = HmacSha256.PREFIX_BYTES

/**
 * Fernet with one or several keys (Python's `Fernet` and `MultiFernet` in one):
 * the first key encrypts, every key decrypts, and {@link FernetMessage.keyIndex}
 * tells which one did, so that tokens under an old key can be re-issued.
 *
 * @example
 * ```ts
 * const fernet = new Fernet([currentKey, previousKey])
 * const token = fernet.encrypt('hello')
 * fernet.decrypt(token, { ttl: 60 })?.plaintext.toString() // 'hello'
 * ```
 */
export class Fernet {
  readonly #keys: KeyPair[]

  /** @throws {TypeError} when a key is not a Fernet key (see {@link isFernetKey}). */
  constructor(keys: string | readonly string[]) {
    const list = typeof keys === 'string' ? [keys] : keys
    if (list.length === 0) throw new TypeError('Fernet needs at least one key')
    this.#keys = list.map((key, index) => parseKey(key, index))
  }

  /**
   * Encrypts `plaintext` (a string is UTF-8 encoded) under the first key.
   *
   * @param timestamp the token's time in seconds since the epoch, for a caller
   *   that must know it (it is part of what the token says). @default now
   */
  encrypt(plaintext: string | Uint8Array, timestamp: number = nowSeconds()): string {
    const message = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
    return seal(this.#keys[0] as KeyPair, message, timestamp, takeIv())
  }

  /**
   * Verifies and decrypts a token. `undefined` for anything that is not a
   * valid token under one of the keys, is too old for `ttl`, or is dated more
   * than {@link MAX_CLOCK_SKEW_SECONDS} ahead. Never throws for any string.
   */
  decrypt(token: string, options: DecryptOptions = {}): FernetMessage | undefined {
    const buffer = decodeToken(token)
    if (!buffer) return undefined
    const timestamp =
      buffer.readUInt32BE(TOKEN_START + TIMESTAMP_OFFSET) * 2 ** 32 +
      buffer.readUInt32BE(TOKEN_START + TIMESTAMP_OFFSET + 4)
    const now = nowSeconds()
    if (timestamp > now + MAX_CLOCK_SKEW_SECONDS) return undefined
    if (options.ttl !== undefined && timestamp + options.ttl < now) return undefined
    const signedEnd = buffer.length - HMAC_BYTES
    for (let keyIndex = 0; keyIndex < this.#keys.length; keyIndex++) {
      const key = this.#keys[keyIndex] as KeyPair
      if (!key.signing.verify(buffer, signedEnd)) continue
      const plaintext = decryptVerified(key, buffer)
      return plaintext === undefined ? undefined : { plaintext, timestamp, keyIndex }
    }
    return undefined
  }
}

/**
 * @internal Test seam for the official vectors, which fix the IV and the time.
 * Not exported from any public entry point: a caller-chosen IV defeats the
 * encryption when reused.
 */
export function encryptFromParts(
  key: string,
  plaintext: Uint8Array,
  timestamp: number,
  iv: Uint8Array,
): string {
  return seal(parseKey(key), plaintext, timestamp, iv)
}

function parseKey(key: string, index = 0): KeyPair {
  if (!isFernetKey(key)) {
    throw new TypeError(
      `Fernet key ${index} must be 32 bytes in url-safe base64 (44 characters, as generateKey() makes)`,
    )
  }
  const bytes = Buffer.from(key.replaceAll('+', '-').replaceAll('/', '_'), 'base64url')
  return {
    signing: new HmacSha256(bytes.subarray(0, 16)),
    encryption: new AesCbc(createSecretKey(bytes.subarray(16, 32))),
  }
}

function seal(key: KeyPair, plaintext: Uint8Array, timestamp: number, iv: Uint8Array): string {
  const cipherLength = (Math.floor(plaintext.length / BLOCK_BYTES) + 1) * BLOCK_BYTES
  const signedEnd = TOKEN_START + CIPHERTEXT_OFFSET + cipherLength
  // One buffer for the token and, in front of it, the HMAC's inner pad; the
  // ciphertext region first holds the padded plaintext for the cipher.
  const buffer = Buffer.allocUnsafe(signedEnd + HMAC_BYTES)
  buffer[TOKEN_START] = VERSION
  buffer.writeUInt32BE(Math.floor(timestamp / 2 ** 32), TOKEN_START + TIMESTAMP_OFFSET)
  buffer.writeUInt32BE(timestamp % 2 ** 32, TOKEN_START + TIMESTAMP_OFFSET + 4)
  buffer.set(iv, TOKEN_START + IV_OFFSET)
  const blocks = buffer.subarray(TOKEN_START + CIPHERTEXT_OFFSET, signedEnd)
  blocks.set(plaintext)
  blocks.fill(cipherLength - plaintext.length, plaintext.length) // PKCS7
  blocks.set(key.encryption.encrypt(iv, blocks))
  key.signing.sign(buffer, signedEnd)
  return toBase64(buffer.subarray(TOKEN_START))
}

/**
 * The token's bytes, after {@link TOKEN_START} free bytes, when its encoding
 * and framing are valid (version, length, whole blocks).
 */
function decodeToken(token: string): Buffer | undefined {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined
  const padded = token.endsWith('=')
  // Padded tokens are whole quanta; unpadded ones may not end on a lone sextet.
  if (padded ? token.length % 4 !== 0 : token.length % 4 === 1) return undefined
  const unpadded = padded ? token.indexOf('=') : token.length
  const length = Math.floor((unpadded * 3) / 4)
  if (length < MIN_TOKEN_BYTES || (length - CIPHERTEXT_OFFSET - HMAC_BYTES) % BLOCK_BYTES !== 0) {
    return undefined
  }
  const buffer = Buffer.allocUnsafe(TOKEN_START + length)
  if (buffer.write(token, TOKEN_START, 'base64url') !== length || buffer[TOKEN_START] !== VERSION)
    return undefined
  return buffer
}

/** Decrypts a verified token (after {@link TOKEN_START}); `undefined` on bad PKCS7 padding. */
function decryptVerified(key: KeyPair, buffer: Buffer): Buffer | undefined {
  const iv = buffer.subarray(TOKEN_START + IV_OFFSET, TOKEN_START + CIPHERTEXT_OFFSET)
  const ciphertext = buffer.subarray(TOKEN_START + CIPHERTEXT_OFFSET, buffer.length - HMAC_BYTES)
  const padded = key.encryption.decrypt(iv, ciphertext)
  const pad = padded[padded.length - 1] ?? 0
  if (pad < 1 || pad > BLOCK_BYTES) return undefined
  for (let i = padded.length - pad; i < padded.length; i++) {
    if (padded[i] !== pad) return undefined
  }
  return padded.subarray(0, padded.length - pad)
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** Url-safe base64 with `=` padding, as Python's `urlsafe_b64encode` writes it. */
function toBase64(bytes: Buffer): string {
  const text = bytes.toString('base64url')
  const remainder = bytes.length % 3
  return remainder === 0 ? text : remainder === 1 ? `${text}==` : `${text}=`
}

// IVs come from a pool refilled 4 KiB at a time: one 16-byte randomFillSync
// costs ~20x more than a copy. Each byte is handed out once; IVs are public anyway.
const ivPool = Buffer.alloc(4096)
let ivOffset = ivPool.length

function takeIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    randomFillSync(ivPool)
    ivOffset = 0
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES)
  ivOffset += IV_BYTES
  return iv
}
