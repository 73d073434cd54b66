import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../stores/memory/index.js'
import { Sessions } from './manager.js'
import type { SessionsOptions } from './options.js'

const store = new MemoryStore()

describe('option validation', () => {
  it('applies secure defaults', () => {
    const { options } = new Sessions({ store })
    expect(options.cookie).toEqual({
      name: 'SESSION',
      domain: undefined,
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      partitioned: false,
      persistent: true,
    })
    expect(options.ttlMs).toBe(30 * 24 * 3600 * 1000)
    expect(options.touchAfterMs).toBe(3600 * 1000)
    expect(options.warnLock).toBe(true)
  })

  it.each<[string, Partial<SessionsOptions>]>([
    ['a negative ttl', { ttl: -1 }],
    ['a ttl that is not a number', { ttl: '30' as unknown as number }],
    ['touchAfter not shorter than ttl', { ttl: 60, touchAfter: 60 }],
    ['a bad cookie name', { cookie: { name: 'a b' } }],
    ['a path with ;', { cookie: { path: '/a;b' } }],
    ['a bad domain', { cookie: { domain: 'exa mple.com' } }],
    ['an unknown sameSite', { cookie: { sameSite: 'yes' as 'lax' } }],
    ["sameSite 'none' without secure", { cookie: { sameSite: 'none', secure: false } }],
    ['partitioned without secure', { cookie: { partitioned: true, secure: false } }],
    ['a __Host- cookie with a domain', { cookie: { name: '__Host-s', domain: 'example.com' } }],
    ['a lock timeout of 0', { lock: { timeout: 0 } }],
    ['a bad property name', { name: 'my-session' }],
    ['warnLock as a number', { warnLock: 1 as unknown as boolean }],
    ['an unknown mirror policy', { mirrorFailure: 'ignore' as 'fail' }],
  ])('rejects %s with LATCHKEY_CONFIG at construction', (_what, bad) => {
    expect(() => new Sessions({ store, ...bad })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG', name: 'SessionConfigError' }),
    )
  })

  it('rejects a missing store', () => {
    expect(() => new Sessions({} as SessionsOptions)).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })
})
