import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions } from '../../auth/guard.js'
import { webResponse } from '../../core/errors.js'
import { prepareGuard } from '../shared.js'
import type { DataFunctionArgs } from './index.js'

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions<Args extends DataFunctionArgs = DataFunctionArgs>
  extends GuardOptions {
  /**
   * Gives the `Response` to throw for a request without login instead of the
   * default 401 or redirect. Returning nothing throws the default one.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: () => new Response('Not found', { status: 404 }) })
   * ```
   */
  onUnauthenticated?: (args: Args) => Response | undefined | Promise<Response | undefined>
}

/**
 * Guards a loader or an action (inside `withSessions`): it runs only when a
 * user is logged in to `auth`. Otherwise it throws, as React Router's own
 * `redirect()` is thrown: a 401 `Response` with a small JSON body, a redirect
 * to `redirectTo` with the requested path in `next`, or what
 * `onUnauthenticated` returns. A UI route's `ErrorBoundary` shows the 401; a
 * redirect is followed on document and data requests alike. OPTIONS requests
 * pass by default (`exemptMethods`). Options are checked here, when the
 * loader is made.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * export const loader = withSessions(auth, loginRequired(auth, { redirectTo: '/login' })(
 *   async ({ request }: Route.LoaderArgs) => ({ user: await auth.of(request).currentUser() }),
 * ))
 * ```
 */
export function loginRequired<Args extends DataFunctionArgs = DataFunctionArgs>(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions<Args> = {},
): <A extends Args, Result>(fn: (args: A) => Result) => (args: A) => Promise<Awaited<Result>> {
  const { guard, onUnauthenticated } = prepareGuard(auth, options, '(args) => Response | undefined')
  return <A extends Args, Result>(fn: (args: A) => Result) =>
    async (args: A): Promise<Awaited<Result>> => {
      const { request } = args
      const denial = await checkLogin(auth.of(request), request, guard)
      if (!denial) return await fn(args)
      const custom = await onUnauthenticated?.(args)
      throw custom ?? webResponse(denial)
    }
}
