import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HmacSha256 } from './hmac-sha256.js'

function macOf(hmac: HmacSha256, message: Buffer): Buffer {
  const end = HmacSha256.PREFIX_BYTES + message.length
  const buffer = Buffer.alloc(end + 32)
  message.copy(buffer, HmacSha256.PREFIX_BYTES)
  hmac.sign(buffer, end)
  expect(hmac.verify(buffer, end)).toBe(true)
  return buffer.subarray(end)
}

describe('HmacSha256', () => {
  it('matches createHmac for keys of 0–64 bytes and messages of 0–300 bytes', () => {
    for (let keyLength = 0; keyLength <= 64; keyLength += 8) {
      const key = randomBytes(keyLength)
      const hmac = new HmacSha256(key)
      for (let length = 0; length <= 300; length += 37) {
        const message = randomBytes(length)
        expect(macOf(hmac, message).toString('hex')).toBe(
          createHmac('sha256', key).update(message).digest('hex'),
        )
      }
    }
  })

  it('gives the RFC 4231 test case 2 result', () => {
    const hmac = new HmacSha256(Buffer.from('Jefe'))
    expect(macOf(hmac, Buffer.from('what do ya want for nothing?')).toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    )
  })

  it('rejects a MAC with any bit flipped, and a MAC under another key', () => {
    const key = randomBytes(16)
    const message = randomBytes(100)
    const end = HmacSha256.PREFIX_BYTES + message.length
    const buffer = Buffer.alloc(end + 32)
    message.copy(buffer, HmacSha256.PREFIX_BYTES)
    buffer.set(createHmac('sha256', key).update(message).digest(), end)
    const hmac = new HmacSha256(key)
    expect(hmac.verify(buffer, end)).toBe(true)
    expect(new HmacSha256(randomBytes(16)).verify(buffer, end)).toBe(false)
    for (let bit = 0; bit < 256; bit += 13) {
      const flipped = Buffer.from(buffer)
      flipped[end + (bit >> 3)] = (flipped[end + (bit >> 3)] as number) ^ (1 << (bit & 7))
      expect(hmac.verify(flipped, end)).toBe(false)
    }
  })

  it('refuses keys longer than a block, which HMAC would hash first', () => {
    expect(() => new HmacSha256(randomBytes(65))).toThrow(RangeError)
  })
})
