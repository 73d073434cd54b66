import type { AuthSessions } from '../../auth/auth-sessions.js'
import { resolveGuard, sitePath } from '../../auth/guard.js'
import { SessionConfigError } from '../../core/errors.js'
import { nextNavigation } from './next-headers.js'
import { readSession } from './read-session.js'

/** Options of {@link requireLogin}. */
export interface RequireLoginOptions {
  /**
   * Redirect a visitor without login to this path of the site (Next.js's
   * `redirect()`). Without it, Next.js's `unauthorized()` answers 401 with
   * the app's `unauthorized.js` page; that needs `experimental.authInterrupts`
   * in `next.config`.
   * @default undefined (`unauthorized()`)
   */
  redirectTo?: string
  /**
   * The path to come back to after login, sent as `?next=` on the redirect.
   * Server Components do not know the URL they render, so pass it here.
   * @default undefined (no `next` parameter)
   */
  returnTo?: string
  /** The query parameter that carries `returnTo`. @default 'next' */
  nextParam?: string
}

/**
 * The logged-in user of `auth` in a Server Component, a Server Action or a
 * Route Handler; without login, Next.js's `redirect()` to `redirectTo`, or
 * `unauthorized()` (401). Like the other adapters' `loginRequired`, for the
 * places of Next.js that answer by throwing. Reads only: the session is not
 * extended. In Route Handlers, `loginRequired` from this entry answers 401
 * or redirects as a `Response` instead.
 *
 * @throws {SessionConfigError} for an invalid `redirectTo` or `nextParam`.
 * @example
 * ```ts
 * export default async function AccountPage() {
 *   const user = await requireLogin(auth, { redirectTo: '/login', returnTo: '/account' })
 *   return <p>Hello, {user.name}</p>
 * }
 * ```
 */
export async function requireLogin<User>(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data type
  auth: AuthSessions<any, User>,
  options: RequireLoginOptions = {},
): Promise<User> {
  if (typeof auth?.logoutEverywhere !== 'function')
    throw new SessionConfigError('requireLogin() takes an AuthSessions manager')
  const target = redirectTarget(options)
  const user = await (await readSession(auth)).currentUser()
  if (user !== undefined) return user
  const navigation = await nextNavigation()
  // Both throw, as Next.js answers from Server Components.
  return target === undefined ? navigation.unauthorized() : navigation.redirect(target)
}

/** Where to send a visitor without login; `returnTo` is kept to a path of this site. */
function redirectTarget({ returnTo, ...options }: RequireLoginOptions) {
  const guard = resolveGuard(options)
  if (guard.redirectTo === undefined) return undefined
  if (returnTo === undefined) return guard.redirectTo
  const url = new URL(guard.redirectTo, 'http://site.invalid')
  url.searchParams.set(guard.nextParam, sitePath(returnTo))
  return `${url.pathname}${url.search}`
}
