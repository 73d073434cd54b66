import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AesCbc } from './aes-cbc.js'

function reference(key: Buffer, iv: Buffer, blocks: Buffer): Buffer {
  const cipher = createCipheriv('aes-128-cbc', key, iv).setAutoPadding(false)
  return Buffer.concat([cipher.update(blocks), cipher.final()])
}

describe('AesCbc', () => {
  it('matches a fresh createCipheriv/createDecipheriv for every message of a long sequence', () => {
    const key = randomBytes(16)
    const cbc = new AesCbc(createSecretKey(key))
    for (let message = 0; message < 300; message++) {
      const iv = randomBytes(16)
      const blocks = randomBytes(16 * (1 + (message % 9)))
      const expected = reference(key, iv, blocks)
      const ciphertext = cbc.encrypt(iv, Buffer.from(blocks))
      expect(ciphertext.equals(expected)).toBe(true)
      // Decrypt something else in between now and then: the two directions are independent.
      const other = randomBytes(32)
      if (message % 3 === 0) cbc.decrypt(randomBytes(16), other)
      const decipher = createDecipheriv('aes-128-cbc', key, iv).setAutoPadding(false)
      expect(cbc.decrypt(iv, expected).equals(decipher.update(expected))).toBe(true)
      expect(cbc.decrypt(iv, expected).equals(blocks)).toBe(true)
    }
  })

  it('leaves the ciphertext it decrypts untouched', () => {
    const cbc = new AesCbc(createSecretKey(randomBytes(16)))
    const ciphertext = cbc.encrypt(randomBytes(16), randomBytes(48))
    const copy = Buffer.from(ciphertext)
    cbc.decrypt(randomBytes(16), ciphertext)
    expect(ciphertext.equals(copy)).toBe(true)
  })
})
