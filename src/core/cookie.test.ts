import { describe, expect, it } from 'vitest'
import { deletionCookie, readCookie, sessionCookie } from './cookie.js'

const attributes = {
  name: 'S',
  domain: 'example.com',
  path: '/',
  httpOnly: true,
  secure: true,
  sameSite: 'lax' as const,
  partitioned: false,
  persistent: true,
}

describe('cookie codec', () => {
  it('reads one cookie out of a header', () => {
    expect(readCookie('a=1; S=abc; b=2', 'S')).toBe('abc')
    expect(readCookie('a=1', 'S')).toBeUndefined()
    expect(readCookie(undefined, 'S')).toBeUndefined()
    expect(readCookie('S=', 'S')).toBeUndefined()
  })

  it('unquotes values quoted the way Python’s SimpleCookie writes them', () => {
    expect(readCookie('S="gAAAAB-x=="', 'S')).toBe('gAAAAB-x==')
  })

  it('writes persistent, browser-session and deletion cookies', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(sessionCookie(attributes, 'v', now + 60_000, now)).toBe(
      'S=v; Max-Age=60; Domain=example.com; Path=/; Expires=Thu, 01 Jan 2026 00:01:00 GMT; HttpOnly; Secure; SameSite=Lax',
    )
    expect(sessionCookie(attributes, 'v', undefined, now)).toBe(
      'S=v; Domain=example.com; Path=/; HttpOnly; Secure; SameSite=Lax',
    )
    expect(deletionCookie(attributes)).toBe(
      'S=; Max-Age=0; Domain=example.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax',
    )
  })
})

describe('cookie rendering', () => {
  it('renders exactly what the cookie package serializes, for every attribute combination', async () => {
    const { serialize } = await import('cookie')
    const now = Date.UTC(2026, 5, 1, 8, 30, 15, 500)
    for (const domain of [undefined, 'example.com']) {
      for (const path of ['/', '/app']) {
        for (const flags of [0, 1, 2, 3, 4, 5, 6, 7]) {
          for (const sameSite of ['lax', 'strict', 'none'] as const) {
            const cookie = {
              ...attributes,
              domain,
              path,
              httpOnly: (flags & 1) > 0,
              secure: (flags & 2) > 0,
              partitioned: (flags & 4) > 0,
              sameSite,
            }
            const options = {
              path,
              httpOnly: cookie.httpOnly,
              secure: cookie.secure,
              partitioned: cookie.partitioned,
              sameSite,
              ...(domain ? { domain } : {}),
            }
            const expiresAt = now + 3_600_000
            expect(sessionCookie(cookie, 'abc_-', expiresAt, now)).toBe(
              serialize('S', 'abc_-', { ...options, maxAge: 3600, expires: new Date(expiresAt) }),
            )
            expect(sessionCookie(cookie, 'abc', undefined, now)).toBe(
              serialize('S', 'abc', options),
            )
            expect(deletionCookie(cookie)).toBe(
              serialize('S', '', { ...options, maxAge: 0, expires: new Date(0) }),
            )
          }
        }
      }
    }
  })
})
