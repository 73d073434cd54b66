import { withCookies } from '../fetch/web-request.js'

/**
 * What `data(value, init)` of React Router returns. React Router recognises it
 * by these three fields (`isDataWithResponseInit`), so latchkey makes one
 * without importing react-router.
 */
export interface DataWithInit {
  type: 'DataWithResponseInit'
  data: unknown
  init: ResponseInit | null
}

function isDataWithInit(value: unknown): value is DataWithInit {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'DataWithResponseInit' &&
    'data' in value &&
    'init' in value
  )
}

/**
 * A loader's or action's result (returned or thrown) with `cookies` added as
 * `Set-Cookie` headers: a `Response` gets them (a copy when its headers cannot
 * be changed), `data(value, init)` gets them in its `init`, and a plain value
 * becomes `data(value, { headers })`. React Router merges the `Set-Cookie`
 * headers of every loader of a request into its response, with or without a
 * route `headers` export. Anything thrown that is not a `Response` or `data()`
 * (an `Error`) is given back unchanged: React Router answers it with the error
 * boundary, which carries no loader headers.
 */
export function withResultCookies(
  result: unknown,
  cookies: readonly string[],
  thrown = false,
): unknown {
  if (cookies.length === 0) return result
  if (result instanceof Response) return withCookies(result, cookies)
  if (isDataWithInit(result)) {
    const headers = new Headers(result.init?.headers)
    for (const cookie of cookies) headers.append('set-cookie', cookie)
    result.init = { ...result.init, headers }
    return result
  }
  if (thrown) return result
  const headers = new Headers()
  for (const cookie of cookies) headers.append('set-cookie', cookie)
  return { type: 'DataWithResponseInit', data: result, init: { headers } } satisfies DataWithInit
}
