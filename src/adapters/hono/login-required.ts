import type { Context, MiddlewareHandler } from 'hono'
import type { AuthSession } from '../../auth/auth-session.js'
import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions, requireAuthSession } from '../../auth/guard.js'
import type { RegisteredUser } from '../../auth/register.js'
import { webResponse } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import { prepareGuard } from '../shared.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's auth session from an `AuthSessions` manager with the default name. */
    authSession: AuthSession<RegisteredData<'authSession'>, RegisteredUser>
  }
}

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Answers a request without login instead of the default 401 or redirect.
   * Returning nothing sends the default answer.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: (c) => c.notFound() })
   * ```
   */
  onUnauthenticated?: (c: Context) => Response | undefined | Promise<Response | undefined>
}

/**
 * Hono middleware that lets a request through only when a user is logged in
 * to `auth`. Otherwise it answers 401 with a small JSON body, or redirects to
 * `redirectTo` with the requested path in `next`, or returns what
 * `onUnauthenticated` returns. OPTIONS requests pass by default
 * (`exemptMethods`). Options are checked here, when the route is defined.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * app.get('/account', loginRequired(auth), handler)                          // 401
 * app.get('/settings', loginRequired(auth, { redirectTo: '/login' }), page)   // 303
 * ```
 */
export function loginRequired(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions = {},
): MiddlewareHandler {
  const { guard, onUnauthenticated, name } = prepareGuard(
    auth,
    options,
    '(c) => Response | undefined',
  )
  return async (c, next) => {
    const session = requireAuthSession(c.get(name as 'authSession'), name)
    const denial = await checkLogin(session, { method: c.req.method, url: c.req.url }, guard)
    if (!denial) {
      await next()
      return
    }
    const custom = await onUnauthenticated?.(c)
    if (custom) return custom
    return webResponse(denial)
  }
}
