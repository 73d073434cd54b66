import { parse } from 'cookie'
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
  // Some servers (Python's SimpleCookie among them) quote values that hold "=", as Fernet tokens do.
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value
}

type CookieAttributes = ResolvedOptions['cookie']

/** The fixed parts of a manager's cookies, rendered once (attributes are validated at construction). */
interface Layout {
  domain: string
  path: string
  flags: string
  deletion: string
}

const layouts = new WeakMap<CookieAttributes, Layout>()

function layoutOf(cookie: CookieAttributes): Layout {
  let layout = layouts.get(cookie)
  if (layout) return layout
  // Attributes in the order of the `cookie` package's serialize(), so both spell a cookie alike.
  const domain = cookie.domain === undefined ? '' : `; Domain=${cookie.domain}`
  const path = `; Path=${cookie.path}`
  const sameSite = `${cookie.sameSite[0]?.toUpperCase()}${cookie.sameSite.slice(1)}`
  const flags = `${cookie.httpOnly ? '; HttpOnly' : ''}${cookie.secure ? '; Secure' : ''}${cookie.partitioned ? '; Partitioned' : ''}; SameSite=${sameSite}`
  const deletion = `${cookie.name}=; Max-Age=0${domain}${path}; Expires=Thu, 01 Jan 1970 00:00:00 GMT${flags}`
  layout = { domain, path, flags, deletion }
  layouts.set(cookie, layout)
  return layout
}

let lastSecond = Number.NaN
let lastDate = ''

/** An HTTP date; cookies of one second share the string. */
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastSecond = second
    lastDate = new Date(second * 1000).toUTCString()
  }
  return lastDate
}

/**
 * A `Set-Cookie` value carrying the session. `expiresAt` (ms) makes it
 * persistent with both Max-Age and Expires; `undefined` a browser-session cookie.
 * Values are base64url ids or Fernet tokens, cookie-octets already; left
 * unencoded, a token's `=` padding stays readable by other Fernet implementations.
 *
 * @throws {SessionCookieTooLargeError} when it exceeds {@link MAX_SET_COOKIE_BYTES}.
 */
export function sessionCookie(
  cookie: CookieAttributes,
  value: string,
  expiresAt: number | undefined,
  now: number,
): string {
  const { domain, path, flags } = layoutOf(cookie)
  const header =
    expiresAt === undefined
      ? `${cookie.name}=${value}${domain}${path}${flags}`
      : `${cookie.name}=${value}; Max-Age=${Math.max(0, Math.ceil((expiresAt - now) / 1000))}${domain}${path}; Expires=${httpDate(expiresAt)}${flags}`
  // ASCII only, so length is the byte count.
  if (header.length > MAX_SET_COOKIE_BYTES)
    throw new SessionCookieTooLargeError(header.length, MAX_SET_COOKIE_BYTES)
  return header
}

/**
 * A `Set-Cookie` value that deletes the session cookie. It repeats Domain,
 * Path, Secure, SameSite and Partitioned: a browser only removes a cookie whose
 * attributes match; a bare deletion cookie leaves a cookie set with a Domain.
 */
export function deletionCookie(cookie: CookieAttributes): string {
  return layoutOf(cookie).deletion
}
