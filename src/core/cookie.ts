import { parse, serialize } from 'cookie'
import { SessionCookieTooLargeError } from './errors.js'
import type { ResolvedOptions } from './options.js'

/**
 * The most bytes of a `Set-Cookie` value (name, value and attributes) that
 * every browser keeps (RFC 6265 §6.1); browsers drop longer cookies silently.
 */
export const MAX_SET_COOKIE_BYTES = 4096

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
 * Session values (base64url ids, Fernet tokens) are cookie-octets already; left
 * unencoded, a token's `=` padding stays readable by other Fernet implementations.
 */
const verbatim = (value: string) => value

/**
 * A `Set-Cookie` value carrying the session. `expiresAt` (ms) makes it
 * persistent with both Max-Age and Expires; `undefined` a browser-session cookie.
 *
 * @throws {SessionCookieTooLargeError} when it exceeds {@link MAX_SET_COOKIE_BYTES}.
 */
export function sessionCookie(
  cookie: CookieAttributes,
  value: string,
  expiresAt: number | undefined,
  now: number,
): string {
  const header =
    expiresAt === undefined
      ? serialize(cookie.name, value, { ...attributes(cookie), encode: verbatim })
      : serialize(cookie.name, value, {
          ...attributes(cookie),
          encode: verbatim,
          maxAge: Math.max(0, Math.ceil((expiresAt - now) / 1000)),
          expires: new Date(expiresAt),
        })
  // ASCII only (serialize validates every part), so length is the byte count.
  if (header.length > MAX_SET_COOKIE_BYTES)
    throw new SessionCookieTooLargeError(header.length, MAX_SET_COOKIE_BYTES)
  return header
}

/**
 * A `Set-Cookie` value that deletes the session cookie. It repeats Domain,
 * Path, Secure, SameSite and Partitioned: a browser only removes a cookie whose
 * attributes match (the original's deletion cookie did not, so logout failed).
 */
export function deletionCookie(cookie: CookieAttributes): string {
  return serialize(cookie.name, '', { ...attributes(cookie), maxAge: 0, expires: new Date(0) })
}
