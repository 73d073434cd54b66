import { SessionConfigError, SessionUsageError } from '../core/errors.js'
import { AuthSession } from './auth-session.js'

/**
 * Options of a login guard, the same for every adapter's `loginRequired`.
 *
 * @example
 * ```ts
 * loginRequired(auth, { redirectTo: '/login' }) // 303 to /login?next=%2Faccount%3Ftab%3D2
 * ```
 */
export interface GuardOptions {
  /**
   * Redirect a request without login to this path of the site (e.g.
   * `'/login'`) instead of answering 401. The requested path and query travel
   * in the `nextParam` query parameter, always as a path of this site.
   * @default undefined (answer 401)
   */
  redirectTo?: string
  /** The query parameter that carries the requested path. @default 'next' */
  nextParam?: string
  /** Status of the redirect: 303 makes every method follow it with GET. @default 303 */
  redirectStatus?: 302 | 303
  /**
   * Methods that pass without login (CORS preflight requests carry no
   * cookies). `[]` guards every method.
   * @default ['OPTIONS']
   */
  exemptMethods?: readonly string[]
}

/** Guard options after defaults and validation. */
export interface ResolvedGuard {
  redirectTo: string | undefined
  nextParam: string
  redirectStatus: 302 | 303
  exemptMethods: ReadonlySet<string>
}

/** What the guard needs to know about a request. */
export interface GuardRequest {
  method: string
  /** The request target as received: path and query (absolute form is tolerated). */
  url: string
}

/** The answer to a request without login, for the adapter to send. */
export interface GuardResponse {
  status: number
  headers: Record<string, string>
  /** Undefined for a redirect. */
  body: string | undefined
}

const SITE_PATH = /^\/(?![/\\])[^\s\p{Cc}]*$/u
const BASE = 'http://site.invalid'

/** Validates guard options; throws `SessionConfigError` (when the route is defined). */
export function resolveGuard(options: GuardOptions = {}): ResolvedGuard {
  if (typeof options !== 'object' || options === null)
    throw new SessionConfigError('loginRequired options must be an object')
  const {
    redirectTo,
    nextParam = 'next',
    redirectStatus = 303,
    exemptMethods = ['OPTIONS'],
  } = options
  if (redirectTo !== undefined && (typeof redirectTo !== 'string' || !SITE_PATH.test(redirectTo)))
    throw new SessionConfigError(
      `redirectTo must be a path of this site such as '/login', got ${String(redirectTo)}`,
    )
  if (typeof nextParam !== 'string' || nextParam.length === 0)
    throw new SessionConfigError('nextParam must be a non-empty string')
  if (redirectStatus !== 302 && redirectStatus !== 303)
    throw new SessionConfigError(`redirectStatus must be 302 or 303, got ${String(redirectStatus)}`)
  if (!Array.isArray(exemptMethods) || !exemptMethods.every((m) => typeof m === 'string'))
    throw new SessionConfigError('exemptMethods must be an array of HTTP method names')
  return {
    redirectTo,
    nextParam,
    redirectStatus,
    exemptMethods: new Set(exemptMethods.map((method) => method.toUpperCase())),
  }
}

/**
 * The path and query of a request target, reduced to a path of this site: an
 * absolute-form target loses its origin and leading slashes collapse to one,
 * so the result can never send a browser to another host.
 */
export function sitePath(target: string): string {
  let url: URL
  try {
    url = new URL(target, BASE)
  } catch {
    return '/'
  }
  return `${url.pathname}${url.search}`.replace(/^\/+/, '/')
}

/** The response for a request without login: 401 JSON, or the configured redirect. */
export function unauthenticatedResponse(
  request: GuardRequest,
  guard: ResolvedGuard,
): GuardResponse {
  if (guard.redirectTo === undefined) {
    return {
      status: 401,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ error: 'Unauthorized', message: 'Login required' }),
    }
  }
  const target = new URL(guard.redirectTo, BASE)
  target.searchParams.set(guard.nextParam, sitePath(request.url))
  return {
    status: guard.redirectStatus,
    headers: {
      location: `${target.pathname}${target.search}${target.hash}`,
      'cache-control': 'no-store',
    },
    body: undefined,
  }
}

/**
 * The guard's decision: `undefined` lets the request through (a user is
 * logged in, or the method is exempt); otherwise the response to send, unless
 * the application handles the case itself. Adapters wrap this.
 */
export async function checkLogin(
  // biome-ignore lint/suspicious/noExplicitAny: a session of any data and user type
  session: AuthSession<any, any>,
  request: GuardRequest,
  guard: ResolvedGuard,
): Promise<GuardResponse | undefined> {
  if (guard.exemptMethods.has(request.method.toUpperCase())) return undefined
  if (await session.isLoggedIn()) return undefined
  return unauthenticatedResponse(request, guard)
}

/**
 * The auth session an adapter attached to a request, checked: a guard used
 * without the adapter's plugin is a usage error, not a silent pass.
 */
export function requireAuthSession(
  value: unknown,
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: a session of any data and user type
): AuthSession<any, any> {
  if (value instanceof AuthSession) return value
  throw new SessionUsageError(
    `request.${name} is not an AuthSession; register latchkey(auth) before using loginRequired(auth)`,
  )
}
