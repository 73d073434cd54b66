import { describe, expect, it } from 'vitest'
import { SessionConfigError, SessionUsageError } from './errors.js'
import { MAX_SECONDS, MAX_TIMER_SECONDS, seconds } from './seconds.js'

describe('seconds', () => {
  it('returns a value in range', () => {
    expect(seconds(0.5, 'x')).toBe(0.5)
    expect(seconds(MAX_SECONDS, 'x')).toBe(MAX_SECONDS)
    expect(seconds(0, 'x', { min: 0 })).toBe(0)
    expect(seconds(60, 'x', { min: 1, integer: true })).toBe(60)
  })

  it.each<[string, unknown, Parameters<typeof seconds>[2]]>([
    ['0 when only positive values are accepted', 0, {}],
    ['a negative number', -1, { min: 0 }],
    ['a value under min', 0.5, { min: 1 }],
    ['a value over MAX_SECONDS', MAX_SECONDS + 1, {}],
    ['Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER, {}],
    ['Infinity', Number.POSITIVE_INFINITY, {}],
    ['NaN', Number.NaN, {}],
    ['a string', '60', {}],
    ['a fraction where whole seconds are asked', 1.5, { integer: true }],
    ['a value over a given max', MAX_TIMER_SECONDS + 1, { max: MAX_TIMER_SECONDS }],
  ])('rejects %s with LATCHKEY_CONFIG naming the option and its range', (_what, value, range) => {
    expect(() => seconds(value, 'opt', range)).toThrow(SessionConfigError)
    expect(() => seconds(value, 'opt', range)).toThrow(
      new RegExp(`^opt must be a (whole )?number of seconds .* to \\d+, got ${String(value)}$`),
    )
  })

  it('throws the error class it is given', () => {
    expect(() => seconds(-1, 'login() duration', {}, SessionUsageError)).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_USAGE' }),
    )
  })

  it('keeps its maxima inside what every target accepts', () => {
    // A cookie's Expires at most in the year 9999, for millennia to come.
    expect(new Date(Date.UTC(7000, 0) + MAX_SECONDS * 1000).getUTCFullYear()).toBeLessThan(9999)
    // Node's timers: a delay over 2^31 - 1 ms fires at once.
    expect(MAX_TIMER_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1)
  })
})
