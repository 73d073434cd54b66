import { parseSetCookie } from 'cookie'

/**
 * Next.js's request APIs, loaded when first needed so that importing
 * `latchkey/next` loads no Next.js. `next` has no `exports` map: the `.js`
 * path is what resolves both in Node's ESM loader (a `serverExternalPackages`
 * latchkey) and in Next's bundlers.
 */
export function nextHeaders(): Promise<typeof import('next/headers.js')> {
  return import('next/headers.js')
}

/** Next.js's navigation helpers (`redirect`, `unauthorized`), loaded likewise. */
export function nextNavigation(): Promise<typeof import('next/navigation.js')> {
  return import('next/navigation.js')
}

/**
 * Sets latchkey's `Set-Cookie` lines through Next.js's `cookies()`, the only
 * way a Server Action can send a cookie. Values are taken as they are:
 * session ids and Fernet tokens need no decoding.
 */
export async function setCookies(lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return
  const jar = await (await nextHeaders()).cookies()
  for (const line of lines) {
    const { name, value, ...attributes } = parseSetCookie(line, { decode: (raw) => raw })
    jar.set({ name, value: value ?? '', ...attributes })
  }
}
