import { describe, expect, it } from 'vitest'
import { hashSessionId, newSessionId } from '../crypto/ids.js'
import { sessionReference } from './session-reference.js'

describe('sessionReference', () => {
  const key = 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg'

  it('is 16 base64url characters of SHA-256 over the domain prefix and the stored key', () => {
    // Computed with Python's hashlib: sha256(b'latchkey session reference v1\0' + key).
    expect(sessionReference(key)).toBe('M0e146xodjAkyKiN')
  })

  it('is neither the id nor the stored key, nor a prefix of either', () => {
    const id = newSessionId()
    const stored = hashSessionId(id)
    const reference = sessionReference(stored)
    expect(reference).toMatch(/^[\w-]{16}$/)
    expect(id.includes(reference) || stored.includes(reference)).toBe(false)
    expect(reference).not.toBe(sessionReference(id))
  })
})
