import { describe, expect, it, vi } from 'vitest'
import type { Session } from './session.js'

describe('sessions bound to a request', () => {
  it('are found by another copy of latchkey in the same process', async () => {
    // Two instances of the module, as a bundler that packs latchkey twice loads it.
    const first = await import('./bound-sessions.js')
    vi.resetModules()
    const second = await import('./bound-sessions.js')
    expect(first).not.toBe(second)
    const request = new Request('http://localhost/')
    const manager = {}
    const session = {} as Session
    first.bindSessions(request, (asked: object) => (asked === manager ? session : undefined))
    expect(second.boundSession(request, manager)).toBe(session)
    expect(second.boundSession(request, {})).toBeUndefined()
    expect(second.boundSession(new Request('http://localhost/'), manager)).toBeUndefined()
  })
})
