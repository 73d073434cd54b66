import { describe, expect, it } from 'vitest'
import { hashSessionId, isWellFormedSessionId, newSessionId } from './ids.js'

const SHAPE = /^[A-Za-z0-9_-]{43}$/

describe('session ids', () => {
  it('are 43 base64url characters, and well formed', () => {
    for (let i = 0; i < 100; i++) {
      const id = newSessionId()
      expect(id).toMatch(SHAPE)
      expect(isWellFormedSessionId(id)).toBe(true)
    }
  })

  it('accepts exactly the 64 base64url characters, at any position, and only 43 of them', () => {
    const allowed = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
    const id = newSessionId()
    const others = ['é', '\u{1F600}', '\u0000']
    for (let code = 0; code < 128; code++) others.push(String.fromCharCode(code))
    for (const char of others) {
      for (const at of [0, 21, 42]) {
        const value = id.slice(0, at) + char + id.slice(at + 1)
        expect(isWellFormedSessionId(value), JSON.stringify(value)).toBe(allowed.has(char))
      }
    }
    for (const value of ['', id.slice(1), `${id}A`, `${id.slice(0, 42)}=`, ` ${id}`, `${id}\n`])
      expect(isWellFormedSessionId(value), JSON.stringify(value)).toBe(false)
  })

  it('are hashed to SHA-256 in base64url (checked against createHash) before they reach a store', () => {
    expect(hashSessionId('a'.repeat(43))).toBe('ZtNPunH49FD35FWYhT5Tv8I7vRKQJ8uxMaL0_9eHjNA')
  })
})
