import type { Request, RequestHandler, Response } from 'express'
import type { AuthSession } from '../../auth/auth-session.js'
import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions, requireAuthSession } from '../../auth/guard.js'
import type { RegisteredUser } from '../../auth/register.js'
import type { RegisteredData } from '../../core/register.js'
import { prepareGuard } from '../shared.js'
import { hasResponded } from './before-headers.js'

declare module 'express-serve-static-core' {
  interface Request {
    /** The request's auth session from an `AuthSessions` manager with the default name. */
    authSession: AuthSession<RegisteredData<'authSession'>, RegisteredUser>
  }
}

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Handles a request without login instead of the default 401 or redirect;
   * it should send a response. If it does not, the default answer is sent.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: (req, res) => res.status(404).end() })
   * ```
   */
  onUnauthenticated?: (req: Request, res: Response) => unknown
}

/**
 * Express middleware that lets a request through only when a user is logged
 * in to `auth`. Otherwise it answers 401 with a small JSON body, or redirects
 * to `redirectTo` with the requested path in `next`, or calls
 * `onUnauthenticated`. OPTIONS requests pass by default (`exemptMethods`).
 * Options are checked here, when the route is defined.
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
): RequestHandler {
  const { guard, onUnauthenticated, name } = prepareGuard(auth, options, '(req, res) => …')
  return (req, res, next) => {
    const deny = async (): Promise<void> => {
      const session = requireAuthSession((req as unknown as Record<string, unknown>)[name], name)
      const denial = await checkLogin(session, { method: req.method, url: req.originalUrl }, guard)
      if (!denial) return next()
      if (onUnauthenticated) {
        await onUnauthenticated(req, res)
        if (hasResponded(res)) return
      }
      res.status(denial.status).set(denial.headers).end(denial.body)
    }
    deny().catch(next)
  }
}
