import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  encryptFromParts,
  Fernet,
  generateKey,
  isFernetKey,
  MAX_CLOCK_SKEW_SECONDS,
} from './fernet.js'

interface Vector {
  desc?: string
  token: string
  now: string
  secret: string
  src?: string
  iv?: number[]
  ttl_sec?: number
}

function vectors(name: 'generate' | 'verify' | 'invalid'): Vector[] {
  return JSON.parse(
    readFileSync(new URL(`./testdata/fernet/${name}.json`, import.meta.url), 'utf8'),
  ) as Vector[]
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)

afterEach(() => {
  vi.useRealTimers()
})

describe('official vectors', () => {
  it.each(vectors('generate'))('generate $token', (v) => {
    const iv = Uint8Array.from(v.iv ?? [])
    expect(encryptFromParts(v.secret, Buffer.from(v.src ?? ''), seconds(v.now), iv)).toBe(v.token)
  })

  it.each(vectors('verify'))('verify $token', (v) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse(v.now))
    const opened = new Fernet(v.secret).decrypt(v.token, { ttl: v.ttl_sec ?? 0 })
    expect(opened?.plaintext.toString()).toBe(v.src)
    expect(opened?.keyIndex).toBe(0)
  })

  it.each(vectors('invalid'))('rejects: $desc', (v) => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse(v.now))
    expect(new Fernet(v.secret).decrypt(v.token, { ttl: v.ttl_sec ?? 0 })).toBeUndefined()
  })

  it('accepts the verify vector without its base64 padding', () => {
    const [v] = vectors('verify')
    if (!v) throw new Error('no verify vector')
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse(v.now))
    const opened = new Fernet(v.secret).decrypt(v.token.replace(/=+$/, ''), { ttl: 60 })
    expect(opened?.plaintext.toString()).toBe(v.src)
  })
})

describe('Fernet', () => {
  const key = generateKey()

  it('round-trips strings and bytes of every padding length', () => {
    const fernet = new Fernet(key)
    for (let length = 0; length <= 50; length++) {
      const message = 'é'.repeat(length)
      expect(fernet.decrypt(fernet.encrypt(message))?.plaintext.toString()).toBe(message)
      const bytes = Uint8Array.from({ length }, (_, i) => i)
      expect(fernet.decrypt(fernet.encrypt(bytes))?.plaintext).toEqual(Buffer.from(bytes))
    }
  })

  it('agrees with a Fernet built on createCipheriv and createHmac, both ways, message after message', () => {
    const bytes = Buffer.from(key, 'base64url')
    const [signing, encryption] = [bytes.subarray(0, 16), bytes.subarray(16)]
    const fernet = new Fernet(key)
    for (let length = 0; length < 200; length += 7) {
      const message = randomBytes(length)
      const iv = randomBytes(16)
      const timestamp = Math.floor(Date.now() / 1000)
      const head = Buffer.alloc(9, 0x80)
      head.writeBigUInt64BE(BigInt(timestamp), 1)
      const cipher = createCipheriv('aes-128-cbc', encryption, iv)
      const signed = Buffer.concat([head, iv, cipher.update(message), cipher.final()])
      const mac = createHmac('sha256', signing).update(signed).digest()
      const expected = Buffer.concat([signed, mac]).toString('base64url')
      const token = encryptFromParts(key, message, timestamp, iv)
      expect(token.replace(/=+$/, '')).toBe(expected)
      expect(fernet.decrypt(token)?.plaintext.equals(message)).toBe(true)
      const ours = Buffer.from(fernet.encrypt(message), 'base64url')
      const decipher = createDecipheriv('aes-128-cbc', encryption, ours.subarray(9, 25))
      const body = ours.subarray(25, ours.length - 32)
      expect(Buffer.concat([decipher.update(body), decipher.final()]).equals(message)).toBe(true)
      const ourMac = createHmac('sha256', signing).update(ours.subarray(0, ours.length - 32))
      expect(ourMac.digest().equals(ours.subarray(ours.length - 32))).toBe(true)
    }
  })

  it('writes padded url-safe base64 like Python', () => {
    const fernet = new Fernet(key)
    for (let length = 0; length < 64; length++) {
      const token = fernet.encrypt('x'.repeat(length))
      expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]+={0,2}$/)
      expect(token.length % 4).toBe(0)
    }
  })

  it('dates tokens with the current time in seconds', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_700_000_000_999)
    const fernet = new Fernet(key)
    expect(fernet.decrypt(fernet.encrypt('a'))?.timestamp).toBe(1_700_000_000)
  })

  it('uses a fresh IV for every token', () => {
    const fernet = new Fernet(key)
    const ivs = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      ivs.add(Buffer.from(fernet.encrypt('same'), 'base64url').subarray(9, 25).toString('hex'))
    }
    expect(ivs.size).toBe(1000)
  })

  it('enforces the ttl from the token timestamp, inclusive as in Python', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_000_000_000_000)
    const fernet = new Fernet(key)
    const token = fernet.encrypt('a')
    vi.setSystemTime(1_000_000_060_999)
    expect(fernet.decrypt(token, { ttl: 60 })).toBeDefined()
    vi.setSystemTime(1_000_000_061_000)
    expect(fernet.decrypt(token, { ttl: 60 })).toBeUndefined()
    expect(fernet.decrypt(token)).toBeDefined()
  })

  it(`rejects timestamps more than ${MAX_CLOCK_SKEW_SECONDS}s ahead, with or without a ttl`, () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const fernet = new Fernet(key)
    vi.setSystemTime(1_000_000_060_000)
    const ahead60 = fernet.encrypt('a')
    vi.setSystemTime(1_000_000_061_000)
    const ahead61 = fernet.encrypt('a')
    vi.setSystemTime(1_000_000_000_000)
    expect(fernet.decrypt(ahead60, { ttl: 10 })).toBeDefined()
    expect(fernet.decrypt(ahead61, { ttl: 10 })).toBeUndefined()
    expect(fernet.decrypt(ahead61)).toBeUndefined()
  })

  it('encrypts with the first key, decrypts with any and says which one matched', () => {
    const [current, previous, other] = [generateKey(), generateKey(), generateKey()]
    const oldToken = new Fernet(previous).encrypt('old')
    const rotated = new Fernet([current, previous])
    expect(rotated.decrypt(oldToken)).toMatchObject({ keyIndex: 1 })
    expect(rotated.decrypt(oldToken)?.plaintext.toString()).toBe('old')
    const newToken = rotated.encrypt('new')
    expect(rotated.decrypt(newToken)).toMatchObject({ keyIndex: 0 })
    expect(new Fernet(current).decrypt(newToken)?.plaintext.toString()).toBe('new')
    expect(new Fernet(previous).decrypt(newToken)).toBeUndefined()
    expect(new Fernet(other).decrypt(oldToken)).toBeUndefined()
  })

  it('rejects a token whose bytes were changed anywhere', () => {
    const fernet = new Fernet(key)
    const bytes = Buffer.from(fernet.encrypt('a message of some length'), 'base64url')
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes)
      copy[i] = (copy[i] ?? 0) ^ 0x01
      expect(fernet.decrypt(copy.toString('base64url'))).toBeUndefined()
    }
  })

  it('never throws for input that is not a token', () => {
    const fernet = new Fernet(key)
    for (const input of [
      '',
      '=',
      'gA',
      'gAAAAA====',
      '\u0000',
      'é'.repeat(100),
      'a'.repeat(4097),
    ]) {
      expect(fernet.decrypt(input)).toBeUndefined()
    }
    expect(fernet.decrypt(undefined as unknown as string)).toBeUndefined()
  })
})

describe('keys', () => {
  it('generates 32 random bytes in padded url-safe base64, like Fernet.generate_key()', () => {
    const key = generateKey()
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/)
    expect(Buffer.from(key, 'base64url')).toHaveLength(32)
    expect(generateKey()).not.toBe(key)
  })

  it('accepts the standard alphabet and missing padding, as Python does', () => {
    const key = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4='
    const token = new Fernet(key).encrypt('same key')
    for (const spelling of [key.slice(0, -1), key.replaceAll('_', '/').replaceAll('-', '+')]) {
      expect(isFernetKey(spelling)).toBe(true)
      expect(new Fernet(spelling).decrypt(token)?.plaintext.toString()).toBe('same key')
    }
  })

  it('refuses anything but 32 bytes of base64', () => {
    for (const bad of ['', 'short', `${generateKey()}x`, 'a'.repeat(44), '!'.repeat(43)]) {
      expect(isFernetKey(bad)).toBe(false)
      expect(() => new Fernet(bad)).toThrow(TypeError)
    }
    expect(() => new Fernet([])).toThrow(TypeError)
    expect(isFernetKey(42)).toBe(false)
  })
})
