import type { Context, Middleware } from 'koa'
import type { AuthSession } from '../../auth/auth-session.js'
import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions, requireAuthSession } from '../../auth/guard.js'
import type { RegisteredUser } from '../../auth/register.js'
import type { RegisteredData } from '../../core/register.js'
import { prepareGuard } from '../shared.js'

declare module 'koa' {
  interface DefaultContext {
    /** The request's auth session from an `AuthSessions` manager with the default name. */
    authSession: AuthSession<RegisteredData<'authSession'>, RegisteredUser>
  }
}

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Handles a request without login instead of the default 401 or redirect;
   * it should set the response. If it sets no body, the default answer is sent.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: (ctx) => { ctx.status = 404; ctx.body = 'Not Found' } })
   * ```
   */
  onUnauthenticated?: (ctx: Context) => unknown
}

/**
 * Koa middleware that lets a request through only when a user is logged in to
 * `auth`. Otherwise it answers 401 with a small JSON body, or redirects to
 * `redirectTo` with the requested path in `next`, or calls
 * `onUnauthenticated`. OPTIONS requests pass by default (`exemptMethods`).
 * Options are checked here, when the middleware is created.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * router.get('/account', loginRequired(auth), handler)                          // 401
 * router.get('/settings', loginRequired(auth, { redirectTo: '/login' }), page)   // 303
 * ```
 */
export function loginRequired(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions = {},
): Middleware {
  const { guard, onUnauthenticated, name } = prepareGuard(auth, options, '(ctx) => …')
  return async (ctx, next) => {
    const session = requireAuthSession((ctx as unknown as Record<string, unknown>)[name], name)
    const denial = await checkLogin(session, { method: ctx.method, url: ctx.originalUrl }, guard)
    if (!denial) return next()
    if (onUnauthenticated) {
      await onUnauthenticated(ctx as Context)
      if (ctx.body !== undefined && ctx.body !== null) return
    }
    ctx.status = denial.status
    ctx.set(denial.headers)
    ctx.body = denial.body ?? ''
  }
}
