import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Signs `value` as the `cookie-signature` package does (express-session's
 * cookies): `value.` + HMAC-SHA256 of `value` under `secret`, base64 without
 * its `=` padding.
 */
export function signCookieValue(value: string, secret: string): string {
  return `${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`
}

/**
 * The value `signed` carries when its signature verifies under one of
 * `secrets` (express-session accepts every secret of its list, the first
 * signing); `undefined` otherwise. Compared in constant time.
 */
export function unsignCookieValue(signed: string, secrets: readonly string[]): string | undefined {
  const dot = signed.lastIndexOf('.')
  if (dot <= 0) return undefined
  const value = signed.slice(0, dot)
  const given = Buffer.from(signed)
  for (const secret of secrets) {
    const expected = Buffer.from(signCookieValue(value, secret))
    if (expected.length === given.length && timingSafeEqual(expected, given)) return value
  }
  return undefined
}
