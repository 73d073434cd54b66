import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../stores/memory/index.js'
import { PostgresStore } from '../stores/postgres/index.js'
import { RedisStore } from '../stores/redis/index.js'
import type { SessionsOptions } from './options.js'
import { MAX_SECONDS, MAX_TIMER_SECONDS } from './seconds.js'
import { Sessions } from './sessions.js'

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
    ['a ttl of Number.MAX_SAFE_INTEGER', { ttl: Number.MAX_SAFE_INTEGER }],
    ['a ttl over MAX_SECONDS', { ttl: MAX_SECONDS + 1 }],
    ['an absoluteTimeout over MAX_SECONDS', { absoluteTimeout: MAX_SECONDS + 1 }],
    ['an infinite absoluteTimeout', { absoluteTimeout: Number.POSITIVE_INFINITY }],
    ['a touchAfter over MAX_SECONDS', { ttl: MAX_SECONDS, touchAfter: MAX_SECONDS + 1 }],
    ['a lock timeout over the timer limit', { lock: { timeout: MAX_TIMER_SECONDS + 1 } }],
    ['a lock lease over the timer limit', { lock: { lease: MAX_TIMER_SECONDS + 1 } }],
    ['a mirrorTimeout over the timer limit', { mirrorTimeout: MAX_TIMER_SECONDS + 1 }],
  ])('rejects %s with LATCHKEY_CONFIG at construction', (_what, bad) => {
    expect(() => new Sessions({ store, ...bad })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG', name: 'SessionConfigError' }),
    )
  })

  it('accepts every duration at its maximum', () => {
    const { options } = new Sessions({
      store,
      ttl: MAX_SECONDS,
      absoluteTimeout: MAX_SECONDS,
      touchAfter: MAX_SECONDS - 1,
      lock: { timeout: MAX_TIMER_SECONDS, lease: MAX_TIMER_SECONDS },
      mirrorTimeout: MAX_TIMER_SECONDS,
    })
    expect(options.ttlMs).toBe(MAX_SECONDS * 1000)
    expect(options.lockTimeoutMs).toBe(MAX_TIMER_SECONDS * 1000)
  })

  it("gives a plain Sessions no separate anonymous lifetime: its ttl is every session's", () => {
    expect(new Sessions({ store, ttl: 60 }).options.anonymousTtlMs).toBeUndefined()
  })

  it("bounds the stores' timer options by MAX_TIMER_SECONDS, with the same validator", () => {
    const over = MAX_TIMER_SECONDS + 1
    const redis = { call: async () => null }
    const postgres = { query: async () => ({ rows: [] }) }
    for (const make of [
      () => new MemoryStore({ sweepInterval: over }),
      () => new RedisStore({ client: redis, commandTimeout: over }),
      () => new RedisStore({ client: redis, lockRetryDelay: over }),
      () => new PostgresStore({ client: postgres, queryTimeout: over }),
      () => new PostgresStore({ client: postgres, sweepInterval: over }),
    ])
      expect(make).toThrow(
        expect.objectContaining({
          code: 'LATCHKEY_CONFIG',
          message: expect.stringContaining(`to ${MAX_TIMER_SECONDS}, got ${over}`),
        }),
      )
  })

  it('rejects a missing store', () => {
    expect(() => new Sessions({} as SessionsOptions)).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })
})
