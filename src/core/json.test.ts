import { describe, expect, it } from 'vitest'
import { assertEntry, assertJson, assertWellFormed, cloneJson } from './json.js'

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

  it('accepts well-formed strings, surrogate pairs included', () => {
    expect(() => assertJson({ 'k😀': ['😀', 'é', '\u0000'] }, 'v')).not.toThrow()
  })

  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', 'a\udc00b'],
    ['a nested lone surrogate', { list: [{ name: 'x\ud83d' }] }],
    ['a lone surrogate in an object key', { '\udfff': 1 }],
    ['a lone surrogate in a nested key', [{ ok: { 'k\ud800': true } }]],
  ])('rejects %s with LATCHKEY_USAGE naming the path', (_what, value) => {
    expect(() => assertJson(value, 'profile')).toThrow(
      expect.objectContaining({
        code: 'LATCHKEY_USAGE',
        message: expect.stringMatching(/profile.*lone UTF-16 surrogate/),
      }),
    )
  })

  it('rejects circular structures', () => {
    const a: Record<string, unknown> = {}
    a.self = a
    expect(() => assertJson(a, 'a')).toThrow(/circular/)
  })
})

describe('assertEntry', () => {
  it('accepts a well-formed key and value', () => {
    expect(() => assertEntry('cart😀', [1])).not.toThrow()
  })

  it('rejects a key with a lone surrogate, and a key that is not a string', () => {
    expect(() => assertEntry('\ud800', 1)).toThrow(
      expect.objectContaining({
        code: 'LATCHKEY_USAGE',
        message: expect.stringMatching(/session key/),
      }),
    )
    expect(() => assertEntry(1 as unknown as string, 1)).toThrow(/must be a string/)
  })

  it('checks the value under the key', () => {
    expect(() => assertEntry('name', '\udc00')).toThrow(/name holds a lone/)
  })
})

describe('assertWellFormed', () => {
  it('names what it checks', () => {
    expect(() => assertWellFormed('id\ud800', 'userId')).toThrow(
      expect.objectContaining({
        code: 'LATCHKEY_USAGE',
        message: expect.stringMatching(/^userId holds a lone/),
      }),
    )
    expect(() => assertWellFormed('id', 'userId')).not.toThrow()
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
