import { hash } from 'node:crypto'

const BLOCK_BYTES = 64
const DIGEST_BYTES = 32
const INNER_PAD = 0x36
const OUTER_PAD = 0x5c

/**
 * HMAC-SHA256 (RFC 2104) for a key of at most 64 bytes, from two one-shot
 * `hash()` calls: `H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ message))`. A `createHmac`
 * per message costs a native object and its finalizer, more than the hashing.
 * The caller lays the message out after {@link HmacSha256.PREFIX_BYTES} free
 * bytes so that the inner hash needs no copy of it.
 */
export class HmacSha256 {
  /** Bytes to leave free in front of a message passed to {@link digestAfterPrefix}. */
  static readonly PREFIX_BYTES = BLOCK_BYTES

  readonly #innerPad: Buffer
  /** `K ⊕ opad` followed by room for the inner digest. */
  readonly #outer: Buffer

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
   * The MAC of `buffer[PREFIX_BYTES..end)`. Overwrites `buffer[0..PREFIX_BYTES)`.
   */
  digestAfterPrefix(buffer: Buffer, end: number): Buffer {
    buffer.set(this.#innerPad, 0)
    const inner = hash('sha256', buffer.subarray(0, end), 'buffer')
    this.#outer.set(inner, BLOCK_BYTES)
    return hash('sha256', this.#outer, 'buffer')
  }
}
