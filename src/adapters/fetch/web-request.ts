import type { RequestInfo } from '../../core/session.js'

/** What a Web request's sessions can be opened from: the `Request`, its `Headers`, or the `Cookie` header itself. */
export type SessionSource = Request | Headers | string | null | undefined

/** The request as sessions see it, each header looked up only when a session needs it. */
export function requestInfo(source: SessionSource): RequestInfo {
  if (source === null || source === undefined || typeof source === 'string')
    return { cookie: source ?? undefined }
  const headers = source instanceof Headers ? source : source.headers
  return {
    get cookie() {
      return headers.get('cookie') ?? undefined
    },
    get userAgent() {
      return headers.get('user-agent') ?? undefined
    },
  }
}

/**
 * `response` with `cookies` appended as `Set-Cookie` headers. The headers of
 * some responses (`Response.redirect()`, a `fetch()` passed through) cannot
 * be changed: those are copied first, body and all, without reading the body.
 */
export function withCookies(response: Response, cookies: readonly string[]): Response {
  if (cookies.length === 0) return response
  try {
    for (const cookie of cookies) response.headers.append('set-cookie', cookie)
    return response
  } catch {
    const copy = new Response(response.body, response)
    for (const cookie of cookies) copy.headers.append('set-cookie', cookie)
    return copy
  }
}
