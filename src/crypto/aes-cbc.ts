import {
  type Cipher,
  createCipheriv,
  createDecipheriv,
  type Decipher,
  type KeyObject,
} from 'node:crypto'

const BLOCK_BYTES = 16

/**
 * AES-128-CBC without padding over one long-lived OpenSSL context per
 * direction. A `createCipheriv` per message costs more than the AES itself
 * (a new native object, a key schedule, and a finalizer for the GC).
 *
 * Why reuse is exact: CBC XORs each block with the previous ciphertext block,
 * the IV standing in for the first. A context left open after a message holds
 * that message's last ciphertext block (the "chain") where a fresh one would
 * hold the IV. Encrypting `P1 ⊕ IV ⊕ chain` therefore yields `E(P1 ⊕ IV)`,
 * exactly the first block a fresh context would give, and the blocks after it
 * chain as usual; decrypting, the first output block is `D(C1) ⊕ chain`, which
 * XOR `chain ⊕ IV` turns into `D(C1) ⊕ IV`. The output is byte-identical to
 * `createCipheriv('aes-128-cbc', key, iv)` (tested against it).
 */
export class AesCbc {
  readonly #encipher: Cipher
  readonly #decipher: Decipher
  /** The last ciphertext block each context has seen. */
  readonly #encipherChain = Buffer.alloc(BLOCK_BYTES)
  readonly #decipherChain = Buffer.alloc(BLOCK_BYTES)

  constructor(key: KeyObject) {
    this.#encipher = createCipheriv('aes-128-cbc', key, this.#encipherChain).setAutoPadding(false)
    this.#decipher = createDecipheriv('aes-128-cbc', key, this.#decipherChain).setAutoPadding(false)
  }

  /**
   * Encrypts `blocks` (a whole number of blocks, already padded) under `iv`.
   * Overwrites the first block of `blocks`.
   */
  encrypt(iv: Uint8Array, blocks: Buffer): Buffer {
    const chain = this.#encipherChain
    for (let i = 0; i < BLOCK_BYTES; i++)
      blocks[i] = (blocks[i] as number) ^ (iv[i] as number) ^ (chain[i] as number)
    const ciphertext = this.#encipher.update(blocks)
    ciphertext.copy(chain, 0, ciphertext.length - BLOCK_BYTES)
    return ciphertext
  }

  /** Decrypts `ciphertext` (a whole number of blocks) under `iv`; the padding is left on. */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Buffer {
    const plaintext = this.#decipher.update(ciphertext)
    const chain = this.#decipherChain
    for (let i = 0; i < BLOCK_BYTES; i++)
      plaintext[i] = (plaintext[i] as number) ^ (chain[i] as number) ^ (iv[i] as number)
    chain.set(ciphertext.subarray(ciphertext.length - BLOCK_BYTES))
    return plaintext
  }
}
