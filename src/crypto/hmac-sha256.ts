import { hash, timingSafeEqual } from 'node:crypto'

const BLOCK_BYTES = 64
const DIGEST_BYTES = 32
const INNER_PAD = 0x36
const OUTER_PAD = 0x5c

/**
 * HMAC-SHA256 (RFC 2104) for a key of at most 64 bytes, from two one-shot
 * `hash()` calls: `H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message))`. A `createHmac`
 * per message costs a native object and its finalizer, more than the hashing;
 * digests are taken as `'binary'` (latin1) strings, which cost the GC less than Buffers.
 * The caller lays the message out after {@link HmacSha256.PREFIX_BYTES} free
 * bytes so that the inner hash needs no copy of it.
 */
export class HmacSha256 {
  /** Bytes to leave free in front of the message. */
  static readonly PREFIX_BYTES = BLOCK_BYTES

  readonly #innerPad: Buffer
  /** `K ⊕ opad` followed by room for the inner digest. */
  readonly #outer: Buffer
  readonly #mac = Buffer.alloc(DIGEST_BYTES)

  constructor(key: Uint8Array) {
    if (key.length > BLOCK_BYTES)
      throw new RangeError('HMAC keys longer than a block are hashed first; not supported here')
    this.#innerPad = Buffer.alloc(BLOCK_BYTES, INNER_PAD)
    this.#outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES, OUTER_PAD)
    for (let i = 0; i < key.length; i++) {
      this.#innerPad[i] = INNER_PAD ^ (key[i] as number)
      this.#outer[i] = OUTER_PAD ^ (key[i] as number)
    }
  }

  /**
   * Writes the MAC of `buffer[PREFIX_BYTES..end)` into `buffer` at `end`.
   * Overwrites `buffer[0..PREFIX_BYTES)`.
   */
  sign(buffer: Buffer, end: number): void {
    buffer.write(this.#digest(buffer, end), end, 'binary')
  }

  /**
   * Whether `buffer[end..end + 32)` is the MAC of `buffer[PREFIX_BYTES..end)`,
   * compared in constant time. Overwrites `buffer[0..PREFIX_BYTES)`.
   */
  verify(buffer: Buffer, end: number): boolean {
    this.#mac.write(this.#digest(buffer, end), 0, 'binary')
    return timingSafeEqual(this.#mac, buffer.subarray(end, end + DIGEST_BYTES))
  }

  #digest(buffer: Buffer, end: number): string {
    buffer.set(this.#innerPad, 0)
    this.#outer.write(hash('sha256', buffer.subarray(0, end), 'binary'), BLOCK_BYTES, 'binary')
    return hash('sha256', this.#outer, 'binary')
  }
}
