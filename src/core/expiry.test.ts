import { describe, expect, it } from 'vitest'
import { AuthSessions } from '../auth/auth-sessions.js'
import { MemoryStore } from '../stores/memory/index.js'
import { nextExpiry, touchInterval } from './expiry.js'
import { Sessions } from './sessions.js'

describe('the lifetime of a record', () => {
  const store = new MemoryStore()
  const auth = new AuthSessions({ store, ttl: 86_400, anonymousTtl: 600 }).options
  const plain = new Sessions({ store, ttl: 86_400 }).options

  it('is anonymousTtl without a user, ttl with one, the login duration when set', () => {
    expect(nextExpiry({}, auth, 0)).toBe(600_000)
    expect(nextExpiry({ userId: 'ada' }, auth, 0)).toBe(86_400_000)
    expect(nextExpiry({ userId: 'ada', ttl: 60 }, auth, 0)).toBe(60_000)
    expect(nextExpiry({}, plain, 0)).toBe(86_400_000)
  })

  it('slides often enough for a short anonymous lifetime', () => {
    expect(touchInterval({}, auth)).toBe(300_000)
    expect(touchInterval({ userId: 'ada' }, auth)).toBe(3_600_000)
    expect(touchInterval({}, plain)).toBe(3_600_000)
  })
})
