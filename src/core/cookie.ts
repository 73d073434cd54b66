import { parse, serialize } from 'cookie'
import type { ResolvedOptions } from './options.js'

/** The value of cookie `name` in a `Cookie` request header, if any. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  const value = parse(header)[name]
  if (!value) return undefined
  // Python's SimpleCookie (the original) quotes values that hold "=", as Fernet tokens do.
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value
}

type CookieAttributes = ResolvedOptions['cookie']

function attributes(cookie: CookieAttributes) {
  return {
    path: cookie.path,
    httpOnly: cookie.httpOnly,
    secure: cookie.secure,
    sameSite: cookie.sameSite,
    partitioned: cookie.partitioned,
    ...(cookie.domain === undefined ? {} : { domain: cookie.domain }),
  }
}

/**
 * A `Set-Cookie` value carrying the session. `expiresAt` (ms) makes it
 * persistent with both Max-Age and Expires; `undefined` a browser-session cookie.
 */
export function sessionCookie(
  cookie: CookieAttributes,
  value: string,
  expiresAt: number | undefined,
  now: number,
): string {
  if (expiresAt === undefined) return serialize(cookie.name, value, attributes(cookie))
  return serialize(cookie.name, value, {
    ...attributes(cookie),
    maxAge: Math.max(0, Math.ceil((expiresAt - now) / 1000)),
    expires: new Date(expiresAt),
  })
}

/**
 * A `Set-Cookie` value that deletes the session cookie. It repeats Domain,
 * Path, Secure, SameSite and Partitioned: a browser only removes a cookie whose
 * attributes match (the original's deletion cookie did not, so logout failed).
 */
export function deletionCookie(cookie: CookieAttributes): string {
  return serialize(cookie.name, '', { ...attributes(cookie), maxAge: 0, expires: new Date(0) })
}
