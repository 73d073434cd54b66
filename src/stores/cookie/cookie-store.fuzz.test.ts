import { describe, expect, it } from 'vitest'
import type { SessionRecord } from '../../core/store.js'
import { type CookieFormat, CookieStore, generateKey } from './index.js'

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

const ITERATIONS = 5000
const TTL = 3600
const record: SessionRecord = {
  data: { user: 'ada', cart: [1, 2, 3], note: 'é✓' },
  createdAt: Date.now(),
  lastSeenAt: Date.now(),
  expiresAt: Date.now() + TTL * 1000,
  id: 'i'.repeat(43),
}
/** The first characters of a token of each format: its version byte, then zeros. */
const FRAME: Record<CookieFormat, string> = { fernet: 'gAAAAA', 'aes-256-gcm': 'ogAAAA' }

describe.each(['fernet', 'aes-256-gcm'] as const)(
  '%s: unseal never throws and never accepts a forgery',
  (format) => {
    const store = new CookieStore({ keys: [generateKey(), generateKey()], format })
    const token = store.seal(record)

    function unsealOrFail(value: string) {
      try {
        return store.unseal(value, TTL)
      } catch (error) {
        throw new Error(`unseal threw for ${JSON.stringify(value)}: ${String(error)}`)
      }
    }

    it('random bytes, as text and as base64', () => {
      const next = random(1)
      for (let i = 0; i < ITERATIONS; i++) {
        const bytes = Buffer.from(
          Array.from({ length: Math.floor(next() * 400) }, () => next() * 256),
        )
        expect(unsealOrFail(bytes.toString('latin1'))).toBeUndefined()
        expect(unsealOrFail(bytes.toString('utf8'))).toBeUndefined()
        expect(unsealOrFail(bytes.toString('base64url'))).toBeUndefined()
        // Framed like a token (its version byte), so it reaches the MAC or tag check.
        expect(unsealOrFail(`${FRAME[format]}${bytes.toString('base64url')}`)).toBeUndefined()
      }
    })

    it('every truncation of a valid token, padded or not', () => {
      const bare = token.replace(/=+$/, '')
      for (let length = 0; length < bare.length; length++) {
        expect(unsealOrFail(bare.slice(0, length))).toBeUndefined()
        expect(unsealOrFail(`${bare.slice(0, length)}=`)).toBeUndefined()
        expect(unsealOrFail(`${bare.slice(0, length)}==`)).toBeUndefined()
      }
      expect(unsealOrFail(bare)?.record).toEqual(record)
    })

    it('bit flips anywhere in the token bytes', () => {
      const next = random(2)
      const bytes = Buffer.from(token, 'base64url')
      for (let i = 0; i < ITERATIONS; i++) {
        const copy = Buffer.from(bytes)
        const bits = new Set<number>()
        const flips = 1 + Math.floor(next() * 3)
        while (bits.size < flips) bits.add(Math.floor(next() * copy.length * 8))
        for (const bit of bits) copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7))
        expect(unsealOrFail(copy.toString('base64url'))).toBeUndefined()
      }
    })

    it('character substitutions, insertions and deletions in the token text', () => {
      const next = random(3)
      const alphabet =
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/%"; é\u0000'
      for (let i = 0; i < ITERATIONS; i++) {
        const at = Math.floor(next() * token.length)
        const char = alphabet[Math.floor(next() * alphabet.length)] ?? 'A'
        const edit = Math.floor(next() * 3)
        const mutated =
          edit === 0
            ? token.slice(0, at) + char + token.slice(at + 1)
            : edit === 1
              ? token.slice(0, at) + char + token.slice(at)
              : token.slice(0, at) + token.slice(at + 1)
        const opened = unsealOrFail(mutated)
        // A change confined to unused low bits of the last base64 character decodes
        // to the same bytes; anything that opens must be the original record.
        if (opened) expect(opened.record).toEqual(record)
      }
    })
  },
)
