import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions } from '../../auth/guard.js'
import { webResponse } from '../../core/errors.js'
import { prepareGuard } from '../shared.js'
import type { FetchHandler } from './index.js'

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Answers a request without login instead of the default 401 or redirect.
   * Returning nothing sends the default answer.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: () => new Response('Not found', { status: 404 }) })
   * ```
   */
  onUnauthenticated?: (request: Request) => Response | undefined | Promise<Response | undefined>
}

/**
 * Guards a Web handler (inside `withSessions`): it runs only when a user is
 * logged in to `auth`. Otherwise the answer is 401 with a small JSON body, a
 * redirect to `redirectTo` with the requested path in `next`, or what
 * `onUnauthenticated` returns. OPTIONS requests pass by default
 * (`exemptMethods`). Options are checked here, when the handler is made.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * const account = withSessions(auth, loginRequired(auth, { redirectTo: '/login' })(async (request) =>
 *   Response.json({ user: await auth.of(request).currentUser() }),
 * ))
 * ```
 */
export function loginRequired(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions = {},
): <Args extends unknown[]>(handler: FetchHandler<Args>) => FetchHandler<Args> {
  const { guard, onUnauthenticated } = prepareGuard(
    auth,
    options,
    '(request) => Response | undefined',
  )
  return (handler) =>
    async (request, ...args) => {
      const denial = await checkLogin(auth.of(request), request, guard)
      if (!denial) return handler(request, ...args)
      const custom = await onUnauthenticated?.(request)
      if (custom) return custom
      return webResponse(denial)
    }
}
