import { Buffer } from 'node:buffer'
import { SessionConfigError } from '../../core/errors.js'
import { isLive } from '../../core/expiry.js'
import type { CookieSealer, StoredRecord } from '../../core/store.js'
import { AesGcm, isAesGcmToken } from '../../crypto/aes-gcm.js'
import { Fernet, isFernetKey, type SealedMessage } from '../../crypto/fernet.js'
import { decodeSealedRecord, encodeSealedRecord } from './sealed-record.js'

/** Options of {@link CookieStore}. */
export interface CookieStoreOptions {
  /**
   * Fernet keys: 32 bytes in url-safe base64, as made by `generateKey()`,
   * `npx latchkey keygen` or Python's `Fernet.generate_key()`. The first key
   * encrypts; every key decrypts, so to rotate, put a new key first and keep
   * the old ones until the cookies they sealed have expired. A cookie sealed
   * under an older key is re-issued under the first on its next response.
   *
   * @example
   * ```ts
   * new CookieStore({ keys: [currentKey, previousKey] }) // seals with currentKey, reads both
   * ```
   */
  keys: string | readonly string[]
  /**
   * How new cookies are sealed. Cookies in either format are read, so a site can
   * switch formats without logging anyone out: cookies in the other format are
   * re-sealed in this one on their next response.
   *
   * - `'fernet'`: a Fernet token (AES-128-CBC + HMAC-SHA256), which Python's
   *   `cryptography.fernet` (and so sanic-cookies) reads with the same key.
   * - `'aes-256-gcm'`: latchkey's own AES-256-GCM token, with a key derived per
   *   cookie; faster to seal and open, and no other program reads it.
   *
   * @default 'fernet'
   */
  format?: CookieFormat
}

/** The sealed formats of {@link CookieStore}. */
export type CookieFormat = 'fernet' | 'aes-256-gcm'

/**
 * Cookies longer than this are never accepted: no cookie we issue is longer,
 * and it bounds the work an attacker can ask for.
 */
const MAX_COOKIE_VALUE_LENGTH = 4096

/**
 * Sessions kept in the cookie itself: the
 * cookie value is a Fernet token (AES-128-CBC + HMAC-SHA256) of the whole
 * session record as a compact JSON array, readable by Python's `cryptography.fernet` with the same key,
 * or, with `format: 'aes-256-gcm'`, latchkey's own AES-256-GCM token of it.
 * No server state: nothing to run, nothing to lose on restart.
 *
 * The token's timestamp enforces the idle timeout (the session's `ttl`, or the
 * per-login duration when a login set one) and the record's absolute timeout;
 * tampered, expired, foreign-key or malformed cookies read as no session.
 *
 * Limits of a stateless store: `lock()` only serialises requests within one
 * process, a cookie cannot be revoked server-side (a copied token stays valid
 * until it expires; keep `ttl` short), and the whole session must fit the
 * browser's 4096-byte cookie (a larger one fails the request with
 * `SessionCookieTooLargeError` rather than being dropped silently).
 *
 * @example
 * ```ts
 * import { Sessions } from 'latchkey'
 * import { CookieStore } from 'latchkey/stores/cookie'
 *
 * // `npx latchkey keygen` (or generateKey()) once, then keep the key in your secrets.
 * const key = process.env.SESSION_KEY
 * if (!key) throw new Error('SESSION_KEY is not set: make one with `npx latchkey keygen`')
 * const sessions = new Sessions({ store: new CookieStore({ keys: key }), ttl: 3600 })
 * ```
 * @throws {SessionConfigError} `LATCHKEY_CONFIG` when a key is missing or malformed.
 */
export class CookieStore implements CookieSealer {
  readonly name = 'cookie'
  readonly clientSide = true
  readonly #fernet: Fernet
  readonly #gcm: AesGcm
  readonly #sealer: Fernet | AesGcm

  constructor(options: CookieStoreOptions) {
    const keys = validateKeys(options)
    this.#fernet = new Fernet(keys)
    this.#gcm = new AesGcm(keys)
    this.#sealer = validateFormat(options.format) === 'aes-256-gcm' ? this.#gcm : this.#fernet
  }

  /** Seals a record into a cookie value: a token of its compact JSON (see sealed-record.ts). */
  seal(record: StoredRecord): string {
    const timestamp = Math.floor(Date.now() / 1000)
    return this.#sealer.encrypt(encodeSealedRecord(record, timestamp), timestamp)
  }

  /**
   * Opens a cookie value; `undefined` for anything invalid, tampered, under an
   * unknown key, expired or dated in the future. Never throws.
   *
   * @param maxAgeSeconds the idle timeout for records that carry no `ttl` of their own.
   */
  unseal(
    value: string,
    maxAgeSeconds: number,
  ): { record: StoredRecord; stale: boolean } | undefined {
    if (typeof value !== 'string' || value.length > MAX_COOKIE_VALUE_LENGTH) return undefined
    const opener = isAesGcmToken(value) ? this.#gcm : this.#fernet
    const message: SealedMessage | undefined = opener.decrypt(value)
    if (!message) return undefined
    const record = decodeSealedRecord(message.plaintext, message.timestamp)
    if (!record) return undefined
    const now = Date.now()
    const ttl = record.ttl ?? maxAgeSeconds
    if (message.timestamp + ttl < Math.floor(now / 1000) || !isLive(record, now)) return undefined
    return { record, stale: message.keyIndex > 0 || opener !== this.#sealer }
  }
}

const KEY_HINT =
  'a Fernet key is 32 bytes in url-safe base64 (44 characters), as made by generateKey(), `npx latchkey keygen` or Python’s Fernet.generate_key()'

function validateFormat(format: unknown): CookieFormat {
  if (format === undefined || format === 'fernet' || format === 'aes-256-gcm')
    return format ?? 'fernet'
  throw new SessionConfigError(
    `CookieStore format must be 'fernet' or 'aes-256-gcm', got ${JSON.stringify(format)}`,
  )
}

function validateKeys(options: CookieStoreOptions): string[] {
  if (typeof options !== 'object' || options === null)
    throw new SessionConfigError(`CookieStore needs options { keys }; ${KEY_HINT}`)
  const { keys } = options
  const list: unknown[] = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : []
  if (list.length === 0)
    throw new SessionConfigError(`CookieStore needs keys: a key or a list of keys; ${KEY_HINT}`)
  const seen = new Map<string, number>()
  return list.map((key, index) => {
    const label = typeof keys === 'string' ? 'CookieStore key' : `CookieStore keys[${index}]`
    // Never echo the value: it may be a real secret with a typo.
    if (!isFernetKey(key)) {
      const got = typeof key === 'string' ? `a string of ${key.length} characters` : typeof key
      throw new SessionConfigError(`${label} is not a Fernet key (got ${got}); ${KEY_HINT}`)
    }
    const bytes = Buffer.from(key.replaceAll('+', '-').replaceAll('/', '_'), 'base64url')
    // Random keys hold ~30 distinct bytes; a handful means a placeholder such as 'AAAA…='.
    if (new Set(bytes).size < 8)
      throw new SessionConfigError(
        `${label} looks like a placeholder, not a random key; ${KEY_HINT}`,
      )
    const canonical = bytes.toString('hex')
    const first = seen.get(canonical)
    if (first !== undefined)
      throw new SessionConfigError(`${label} repeats keys[${first}]; list each key once`)
    seen.set(canonical, index)
    return key
  })
}
