import { describe, expect, it } from 'vitest'
import { assertJson } from './json.js'

describe('assertJson', () => {
  it('accepts JSON values', () => {
    expect(() => assertJson({ a: [1, 'x', null, true, { b: -0.5 }] }, 'v')).not.toThrow()
  })

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['NaN', Number.NaN],
    ['a Date', new Date()],
    ['a Map', new Map()],
    ['a nested symbol', { a: [Symbol('s')] }],
  ])('rejects %s with LATCHKEY_USAGE naming the path', (_what, value) => {
    expect(() => assertJson(value, 'cart')).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_USAGE', message: expect.stringContaining('cart') }),
    )
  })

  it('rejects circular structures', () => {
    const a: Record<string, unknown> = {}
    a.self = a
    expect(() => assertJson(a, 'a')).toThrow(/circular/)
  })
})
