import { describe, expect, it } from 'vitest'
import { assertJson, cloneJson } from './json.js'

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

describe('cloneJson', () => {
  const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value))

  it.each([
    ['a record', { data: { n: 1, cart: [{ id: 1 }] }, createdAt: 1, user: { id: 'ada' } }],
    ['primitives', [1, -0.5, 'x', true, false, null]],
    ['dropped members', { a: undefined, f: () => 1, s: Symbol('s'), keep: 1 }],
    ['array holes and non-JSON items', [undefined, () => 1, Number.NaN, Number.POSITIVE_INFINITY]],
    ['a Date and toJSON', { at: new Date(0), custom: { toJSON: () => 'custom' } }],
    ['a Map', { m: new Map([[1, 2]]) }],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
    ['an own __proto__ key', JSON.parse('{"__proto__":{"polluted":true},"a":1}')],
  ])('equals a JSON round trip for %s', (_what, value) => {
    const copy = cloneJson(value)
    expect(copy).toStrictEqual(roundTrip(value))
    expect(JSON.stringify(copy)).toBe(JSON.stringify(value))
  })

  it('shares no objects with its input', () => {
    const value = { data: { cart: [{ id: 1 }] } }
    const copy = cloneJson(value)
    copy.data.cart[0] = { id: 2 }
    copy.data.cart.push({ id: 3 })
    expect(value).toEqual({ data: { cart: [{ id: 1 }] } })
  })

  it('keeps an own __proto__ key a key, never a prototype', () => {
    const copy = cloneJson(JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.hasOwn(copy, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('throws for a bigint, as JSON.stringify does', () => {
    expect(() => cloneJson({ n: 1n })).toThrow(TypeError)
  })
})
