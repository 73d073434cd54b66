import { Buffer } from 'node:buffer'
import { createDecipheriv, createHmac } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AesGcm, isAesGcmToken } from './aes-gcm.js'
import { Fernet, generateKey, MAX_CLOCK_SKEW_SECONDS } from './fernet.js'

afterEach(() => {
  vi.useRealTimers()
})

const bytesOf = (token: string) => Buffer.from(token, 'base64url')
const tokenOf = (bytes: Buffer) => bytes.toString('base64url')

describe('AesGcm', () => {
  it('round-trips a message, dated, under the first key', () => {
    const gcm = new AesGcm(generateKey())
    const token = gcm.encrypt('hello, world', 1_700_000_000)
    expect(isAesGcmToken(token)).toBe(true)
    expect(token).toMatch(/^og[A-Za-z0-9_-]+$/)
    const opened = gcm.decrypt(token)
    expect(opened?.plaintext.toString()).toBe('hello, world')
    expect(opened?.timestamp).toBe(1_700_000_000)
    expect(opened?.keyIndex).toBe(0)
    // 1 version + 8 time + 4 key id + 12 salt + 12 nonce + 12 message + 16 tag
    expect(bytesOf(token)).toHaveLength(65)
  })

  it('is standard AES-256-GCM under a per-token HMAC-SHA256-derived key, the header as additional data', () => {
    const key = generateKey()
    const token = bytesOf(new AesGcm(key).encrypt('plain', 7))
    const tokenKey = createHmac('sha256', Buffer.from(key, 'base64url'))
      .update('latchkey cookie aes-256-gcm v1')
      .update(token.subarray(13, 25))
      .digest()
    const decipher = createDecipheriv('aes-256-gcm', tokenKey, token.subarray(25, 37))
    decipher.setAAD(token.subarray(0, 37))
    decipher.setAuthTag(token.subarray(token.length - 16))
    const plain = Buffer.concat([
      decipher.update(token.subarray(37, token.length - 16)),
      decipher.final(),
    ])
    expect(plain.toString()).toBe('plain')
    expect(token.readUInt32BE(5)).toBe(7)
  })

  it('never seals two tokens alike: a fresh salt each time', () => {
    const gcm = new AesGcm(generateKey())
    const tokens = new Set(Array.from({ length: 200 }, () => gcm.encrypt('same', 1)))
    expect(tokens.size).toBe(200)
  })

  it('refuses a token with any byte changed, cut short or lengthened', () => {
    const gcm = new AesGcm(generateKey())
    const token = bytesOf(gcm.encrypt('{"n":1}', 1_700_000_000))
    for (let i = 0; i < token.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const changed = Buffer.from(token)
        changed[i] = (changed[i] as number) ^ bit
        expect(gcm.decrypt(tokenOf(changed)), `byte ${i} ^ ${bit}`).toBeUndefined()
      }
    }
    for (let length = 0; length < token.length; length++)
      expect(gcm.decrypt(tokenOf(token.subarray(0, length)))).toBeUndefined()
    expect(gcm.decrypt(tokenOf(Buffer.concat([token, Buffer.from([0])])))).toBeUndefined()
  })

  it('refuses another key, non-base64url text, and Fernet tokens of the same key', () => {
    const key = generateKey()
    const gcm = new AesGcm(key)
    expect(new AesGcm(generateKey()).decrypt(gcm.encrypt('x'))).toBeUndefined()
    for (const junk of ['', 'og', 'og==', 'og+/', `og${'A'.repeat(80)}`, '\u00e9'])
      expect(gcm.decrypt(junk)).toBeUndefined()
    expect(gcm.decrypt(new Fernet(key).encrypt('x'))).toBeUndefined()
    expect(gcm.decrypt(undefined as unknown as string)).toBeUndefined()
  })

  it('opens tokens of older keys and says which key opened them', () => {
    const [current, previous, oldest] = [generateKey(), generateKey(), generateKey()]
    const token = new AesGcm(oldest).encrypt('rotated')
    const opened = new AesGcm([current, previous, oldest]).decrypt(token)
    expect(opened?.plaintext.toString()).toBe('rotated')
    expect(opened?.keyIndex).toBe(2)
  })

  it(`refuses a token dated more than ${MAX_CLOCK_SKEW_SECONDS} s ahead`, () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_800_000_000_000)
    const gcm = new AesGcm(generateKey())
    expect(gcm.decrypt(gcm.encrypt('x', 1_800_000_000 + MAX_CLOCK_SKEW_SECONDS))).toBeDefined()
    expect(
      gcm.decrypt(gcm.encrypt('x', 1_800_000_000 + MAX_CLOCK_SKEW_SECONDS + 1)),
    ).toBeUndefined()
  })

  it('takes only 32-byte keys', () => {
    expect(() => new AesGcm('short')).toThrow(TypeError)
    expect(() => new AesGcm([])).toThrow(TypeError)
  })
})
