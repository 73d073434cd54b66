import signature from 'cookie-signature'
import { describe, expect, it } from 'vitest'
import { signCookieValue, unsignCookieValue } from './cookie-signature.js'

describe('cookie signatures as express-session makes them', () => {
  const values = ['abc', 'fBXaf6y2Gn-YkiIQSD5T5b5VbsBwSCwX', 'é/+=.x', '']
  it('signs byte for byte as the cookie-signature package', () => {
    for (const value of values)
      for (const secret of ['keyboard cat', 'ü', 'a'.repeat(100)])
        expect(signCookieValue(value, secret)).toBe(signature.sign(value, secret))
  })

  it('unsigns what cookie-signature signed under any listed secret, and nothing else', () => {
    const signed = signature.sign('sid-1', 'old')
    expect(unsignCookieValue(signed, ['old'])).toBe('sid-1')
    expect(unsignCookieValue(signed, ['new', 'old'])).toBe('sid-1')
    expect(unsignCookieValue(signed, ['new'])).toBeUndefined()
    expect(unsignCookieValue(`${signed}x`, ['old'])).toBeUndefined()
    expect(unsignCookieValue(signed.slice(0, -1), ['old'])).toBeUndefined()
    expect(unsignCookieValue(signed.replace('sid-1', 'sid-2'), ['old'])).toBeUndefined()
    expect(unsignCookieValue('no-dot', ['old'])).toBeUndefined()
    expect(unsignCookieValue('.sig', ['old'])).toBeUndefined()
  })

  it('keeps dots in the value: the signature follows the last one', () => {
    const signed = signature.sign('a.b.c', 's')
    expect(unsignCookieValue(signed, ['s'])).toBe('a.b.c')
  })
})
