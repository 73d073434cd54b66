import { Buffer } from 'node:buffer'
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'

/**
 * Fernet tokens, byte-compatible with Python's `cryptography.fernet`.
 *
 * Layout: `0x80 | timestamp (u64 BE, seconds) | IV (16) | AES-128-CBC/PKCS7 ciphertext | HMAC-SHA256 (32)`,
 * the HMAC covering everything before it, the whole in url-safe base64 with `=` padding.
 * Everything is synchronous: a token is too little work to be worth a hop to the thread pool.
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
export interface SealedMessage {
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

/** A Fernet key's two halves. */
interface KeyPair {
  signing: KeyObject
  encryption: KeyObject
}

/**
 * Fernet with one or several keys (Python's `Fernet` and `MultiFernet` in one):
 * the first key encrypts, every key decrypts, and {@link SealedMessage.keyIndex}
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
    return seal(this.#keys[0] as KeyPair, message, timestamp, randomBytes(IV_BYTES))
  }

  /**
   * Verifies and decrypts a token. `undefined` for anything that is not a
   * valid token under one of the keys, is too old for `ttl`, or is dated more
   * than {@link MAX_CLOCK_SKEW_SECONDS} ahead. Never throws for any string.
   */
  decrypt(token: string, options: DecryptOptions = {}): SealedMessage | undefined {
    const bytes = decodeToken(token)
    if (!bytes) return undefined
    const timestamp =
      bytes.readUInt32BE(TIMESTAMP_OFFSET) * 2 ** 32 + bytes.readUInt32BE(TIMESTAMP_OFFSET + 4)
    const now = nowSeconds()
    if (timestamp > now + MAX_CLOCK_SKEW_SECONDS) return undefined
    if (options.ttl !== undefined && timestamp + options.ttl < now) return undefined
    const signed = bytes.subarray(0, bytes.length - HMAC_BYTES)
    const mac = bytes.subarray(bytes.length - HMAC_BYTES)
    for (let keyIndex = 0; keyIndex < this.#keys.length; keyIndex++) {
      const key = this.#keys[keyIndex] as KeyPair
      if (!timingSafeEqual(sign(key, signed), mac)) continue
      const plaintext = decryptVerified(key, bytes)
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
    signing: createSecretKey(bytes.subarray(0, 16)),
    encryption: createSecretKey(bytes.subarray(16, 32)),
  }
}

function seal(key: KeyPair, plaintext: Uint8Array, timestamp: number, iv: Uint8Array): string {
  const header = Buffer.alloc(IV_OFFSET)
  header[0] = VERSION
  header.writeUInt32BE(Math.floor(timestamp / 2 ** 32), TIMESTAMP_OFFSET)
  header.writeUInt32BE(timestamp % 2 ** 32, TIMESTAMP_OFFSET + 4)
  const cipher = createCipheriv('aes-128-cbc', key.encryption, iv)
  const signed = Buffer.concat([header, iv, cipher.update(plaintext), cipher.final()])
  return toBase64(Buffer.concat([signed, sign(key, signed)]))
}

function sign(key: KeyPair, signed: Buffer): Buffer {
  return createHmac('sha256', key.signing).update(signed).digest()
}

/** The token's bytes when its encoding and framing are valid (version, length, whole blocks). */
function decodeToken(token: string): Buffer | undefined {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined
  // Padded tokens are whole quanta; unpadded ones may not end on a lone sextet.
  if (token.endsWith('=') ? token.length % 4 !== 0 : token.length % 4 === 1) return undefined
  const bytes = Buffer.from(token, 'base64url')
  const blocks = bytes.length - CIPHERTEXT_OFFSET - HMAC_BYTES
  if (bytes.length < MIN_TOKEN_BYTES || blocks % BLOCK_BYTES !== 0 || bytes[0] !== VERSION) {
    return undefined
  }
  return bytes
}

/** Decrypts a verified token; `undefined` on bad PKCS7 padding. */
function decryptVerified(key: KeyPair, bytes: Buffer): Buffer | undefined {
  const iv = bytes.subarray(IV_OFFSET, CIPHERTEXT_OFFSET)
  const ciphertext = bytes.subarray(CIPHERTEXT_OFFSET, bytes.length - HMAC_BYTES)
  const decipher = createDecipheriv('aes-128-cbc', key.encryption, iv)
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    return undefined
  }
}

/** The time in whole seconds since the epoch, as tokens carry it. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** Url-safe base64 with `=` padding, as Python's `urlsafe_b64encode` writes it. */
function toBase64(bytes: Buffer): string {
  const text = bytes.toString('base64url')
  const remainder = bytes.length % 3
  return remainder === 0 ? text : remainder === 1 ? `${text}==` : `${text}=`
}
