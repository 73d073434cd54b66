import { afterEach, describe, expect, it, vi } from 'vitest'
import { SessionConfigError } from '../../core/errors.js'
import type { SessionRecord } from '../../core/store.js'
import { AesGcm } from '../../crypto/aes-gcm.js'
import { Fernet } from '../../crypto/fernet.js'
import { CookieStore, generateKey } from './index.js'

const T0 = 1_800_000_000_000
const HOUR = 3600

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    data: { cart: ['apple'], n: 1 },
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: T0 + HOUR * 1000,
    id: 'x'.repeat(43),
    ...overrides,
  }
}

function at(ms: number): void {
  vi.setSystemTime(ms)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('CookieStore', () => {
  it('is a client-side sealer named "cookie"', () => {
    const store = new CookieStore({ keys: generateKey() })
    expect(store.clientSide).toBe(true)
    expect(store.name).toBe('cookie')
  })

  it('round-trips a record through a Fernet token of its compact JSON', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(T0 + 1234)
    const key = generateKey()
    const store = new CookieStore({ keys: key })
    const seen = record({ createdAt: T0 - 5000, lastSeenAt: T0 + 1200 })
    const token = store.seal(seen)
    expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]+={0,2}$/)
    expect(store.unseal(token, HOUR)).toEqual({ record: seen, stale: false })
    const json = new Fernet(key).decrypt(token)?.plaintext.toString()
    expect(json).toBe(`[{"cart":["apple"],"n":1},"${'x'.repeat(43)}",200,6200,3598.8]`)
  })

  it('round-trips every optional field exactly, and leaves out the ones not set', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    at(T0 + 999)
    const key = generateKey()
    const store = new CookieStore({ keys: key })
    const full = record({
      createdAt: T0 - 86_400_001,
      lastSeenAt: T0 - 1,
      expiresAt: T0 + 1_799_999,
      absoluteExpiresAt: T0 + 86_399_999,
      ttl: 1800,
      user: { name: 'Ada', roles: ['admin'] },
      userId: 'u-1',
      persistent: false,
      userAgent: 'Mozilla/5.0',
    })
    expect(store.unseal(store.seal(full), HOUR)?.record).toEqual(full)
    const { id: _, ...anonymous } = record()
    expect(store.unseal(store.seal(anonymous), HOUR)?.record).toEqual(anonymous)
    const json = new Fernet(key).decrypt(store.seal(record()))?.plaintext.toString() ?? ''
    expect(JSON.parse(json)).toHaveLength(5)
  })

  it('keeps the cookie of a counter session under 200 characters', () => {
    const store = new CookieStore({ keys: generateKey() })
    const now = Date.now()
    const counter = record({
      data: { n: 1 },
      createdAt: now - 9_999_999,
      lastSeenAt: now,
      expiresAt: now + 30 * 86_400_000,
    })
    expect(store.seal(counter).length).toBeLessThanOrEqual(184)
  })

  describe('keys', () => {
    it('seals under the first key and reads every key, flagging old ones stale', () => {
      const [current, previous] = [generateKey(), generateKey()]
      const before = new CookieStore({ keys: [previous] })
      const after = new CookieStore({ keys: [current, previous] })
      const old = before.seal(record({ expiresAt: Date.now() + 60_000 }))
      expect(after.unseal(old, HOUR)?.stale).toBe(true)
      const reissued = after.seal(record({ expiresAt: Date.now() + 60_000 }))
      expect(after.unseal(reissued, HOUR)?.stale).toBe(false)
      expect(new CookieStore({ keys: current }).unseal(reissued, HOUR)).toBeDefined()
      expect(before.unseal(reissued, HOUR)).toBeUndefined()
    })

    it('reads nothing sealed under a foreign key', () => {
      const token = new CookieStore({ keys: generateKey() }).seal(
        record({ expiresAt: Date.now() + 60_000 }),
      )
      expect(new CookieStore({ keys: generateKey() }).unseal(token, HOUR)).toBeUndefined()
    })

    it.each([
      ['no options', undefined],
      ['no keys', {}],
      ['an empty list', { keys: [] }],
      ['a number', { keys: 42 }],
      ['a short string', { keys: 'correct horse battery staple' }],
      ['a list with a bad key', { keys: [generateKey(), 'nope'] }],
      ['a placeholder', { keys: `${'A'.repeat(43)}=` }],
    ])('refuses %s with a config error', (_, options) => {
      expect(() => new CookieStore(options as never)).toThrow(SessionConfigError)
    })

    it('names the bad key by position and never echoes it', () => {
      const secretTypo = `${generateKey().slice(0, 40)}!!!=`
      const error = (() => {
        try {
          new CookieStore({ keys: [generateKey(), secretTypo] })
        } catch (caught) {
          return caught as SessionConfigError
        }
      })()
      expect(error?.code).toBe('LATCHKEY_CONFIG')
      expect(error?.message).toContain('keys[1] is not a Fernet key')
      expect(error?.message).toContain('44 characters')
      expect(error?.message).not.toContain(secretTypo.slice(0, 20))
    })

    it('refuses a key listed twice, whatever its spelling', () => {
      const key = generateKey()
      const standard = key.replaceAll('-', '+').replaceAll('_', '/').replace(/=$/, '')
      expect(() => new CookieStore({ keys: [key, standard] })).toThrow(
        /keys\[1\] repeats keys\[0\]/,
      )
    })
  })

  describe('expiry', () => {
    const store = new CookieStore({ keys: generateKey() })

    it('enforces maxAge from the token timestamp when the record has no ttl', () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      at(T0)
      // expiresAt far ahead: only the token's age can expire it
      const token = store.seal(record({ expiresAt: T0 + 100 * HOUR * 1000 }))
      at(T0 + 60_000)
      expect(store.unseal(token, 60)).toBeDefined()
      at(T0 + 61_000)
      expect(store.unseal(token, 60)).toBeUndefined()
      expect(store.unseal(token, 120)).toBeDefined()
    })

    it("uses the record's own ttl (per-login duration) over maxAge", () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      at(T0)
      const far = T0 + 100 * HOUR * 1000
      const short = store.seal(record({ ttl: 30, expiresAt: far }))
      const long = store.seal(record({ ttl: 2 * HOUR, expiresAt: far }))
      at(T0 + 31_000)
      expect(store.unseal(short, HOUR)).toBeUndefined()
      at(T0 + HOUR * 1000 + 1000)
      expect(store.unseal(long, HOUR)).toBeDefined()
      at(T0 + 2 * HOUR * 1000 + 1000)
      expect(store.unseal(long, HOUR)).toBeUndefined()
    })

    it('rejects records whose expiresAt or absoluteExpiresAt has passed', () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      at(T0)
      const idle = store.seal(record({ expiresAt: T0 + 10_000 }))
      const absolute = store.seal(record({ absoluteExpiresAt: T0 + 20_000 }))
      at(T0 + 10_000)
      expect(store.unseal(idle, HOUR)).toBeUndefined()
      expect(store.unseal(absolute, HOUR)).toBeDefined()
      at(T0 + 20_000)
      expect(store.unseal(absolute, HOUR)).toBeUndefined()
    })

    it('rejects tokens dated more than 60 s ahead', () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      at(T0 + 61_000)
      const ahead = store.seal(record({ expiresAt: T0 + HOUR * 1000 }))
      at(T0 + 60_000)
      const skewed = store.seal(record({ expiresAt: T0 + HOUR * 1000 }))
      at(T0)
      expect(store.unseal(ahead, HOUR)).toBeUndefined()
      expect(store.unseal(skewed, HOUR)).toBeDefined()
    })
  })

  describe('bad values', () => {
    const key = generateKey()
    const store = new CookieStore({ keys: key })
    const fernet = new Fernet(key)

    it.each([
      ['not JSON', 'hello'],
      ['an empty JSON array', '[]'],
      ['JSON null', 'null'],
      ['a record object (not the sealed layout)', JSON.stringify(record())],
      ['too few fields', JSON.stringify([{}, null, 0, 0])],
      ['too many fields', JSON.stringify([{}, null, 0, 0, 60, {}, 1])],
      ['no data', JSON.stringify([null, null, 0, 0, 60])],
      ['data as an array', JSON.stringify([[], null, 0, 0, 60])],
      ['a numeric id', JSON.stringify([{}, 7, 0, 0, 60])],
      ['a string time', JSON.stringify([{}, null, 0, 'long ago', 60])],
      ['extras as an array', JSON.stringify([{}, null, 0, 0, 60, []])],
      ['a zero ttl', JSON.stringify([{}, null, 0, 0, 60, { t: 0 }])],
      ['a string absolute timeout', JSON.stringify([{}, null, 0, 0, 60, { a: 'later' }])],
      ['a numeric userId', JSON.stringify([{}, null, 0, 0, 60, { i: 7 }])],
      ['a string persistent flag', JSON.stringify([{}, null, 0, 0, 60, { p: 'yes' }])],
      ['a numeric userAgent', JSON.stringify([{}, null, 0, 0, 60, { g: 1 }])],
      ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b])],
    ])('reads a genuine token holding %s as no session', (_, plaintext) => {
      expect(store.unseal(fernet.encrypt(plaintext), HOUR)).toBeUndefined()
    })

    it('ignores values longer than any cookie it issues', () => {
      expect(store.unseal(`gAAAAA${'A'.repeat(5000)}`, HOUR)).toBeUndefined()
    })
  })

  describe("format: 'aes-256-gcm'", () => {
    it('seals an AES-256-GCM token of the same compact JSON', () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      at(T0 + 1234)
      const key = generateKey()
      const store = new CookieStore({ keys: key, format: 'aes-256-gcm' })
      const seen = record({ createdAt: T0 - 5000, lastSeenAt: T0 + 1200 })
      const token = store.seal(seen)
      expect(token).toMatch(/^og[A-Za-z0-9_-]+$/)
      expect(store.unseal(token, HOUR)).toEqual({ record: seen, stale: false })
      const json = new AesGcm(key).decrypt(token)?.plaintext.toString()
      expect(json).toBe(`[{"cart":["apple"],"n":1},"${'x'.repeat(43)}",200,6200,3598.8]`)
      // No longer than the Fernet token of the same record.
      expect(token.length).toBeLessThanOrEqual(new CookieStore({ keys: key }).seal(seen).length)
    })

    it('reads both formats, and flags the one it does not seal as stale, so cookies move on their next response', () => {
      const key = generateKey()
      const fernet = new CookieStore({ keys: key })
      const gcm = new CookieStore({ keys: key, format: 'aes-256-gcm' })
      const seen = record({
        createdAt: Date.now(),
        lastSeenAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      })
      expect(gcm.unseal(fernet.seal(seen), HOUR)).toEqual({ record: seen, stale: true })
      expect(fernet.unseal(gcm.seal(seen), HOUR)).toEqual({ record: seen, stale: true })
      expect(gcm.unseal(gcm.seal(seen), HOUR)?.stale).toBe(false)
    })

    it('keeps key rotation: an older key opens, stale; a foreign key does not', () => {
      const [current, previous] = [generateKey(), generateKey()]
      const seen = record({
        createdAt: Date.now(),
        lastSeenAt: Date.now(),
        expiresAt: Date.now() + 60_000,
      })
      const old = new CookieStore({ keys: previous, format: 'aes-256-gcm' }).seal(seen)
      const store = new CookieStore({ keys: [current, previous], format: 'aes-256-gcm' })
      expect(store.unseal(old, HOUR)).toEqual({ record: seen, stale: true })
      expect(
        new CookieStore({ keys: current, format: 'aes-256-gcm' }).unseal(old, HOUR),
      ).toBeUndefined()
    })

    it('enforces the idle timeout from the token time, as for Fernet', () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      at(T0)
      const store = new CookieStore({ keys: generateKey(), format: 'aes-256-gcm' })
      const token = store.seal(record({ expiresAt: T0 + 10 * HOUR * 1000 }))
      at(T0 + HOUR * 1000)
      expect(store.unseal(token, HOUR)).toBeDefined()
      at(T0 + HOUR * 1000 + 1000)
      expect(store.unseal(token, HOUR)).toBeUndefined()
    })

    it('refuses an unknown format with a coded error', () => {
      const make = () => new CookieStore({ keys: generateKey(), format: 'aes-128-gcm' as 'fernet' })
      expect(make).toThrow(SessionConfigError)
      expect(make).toThrow(/format must be 'fernet' or 'aes-256-gcm', got "aes-128-gcm"/)
    })
  })
})
