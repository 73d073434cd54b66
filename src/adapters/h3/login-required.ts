import type { EventHandler, H3Event } from 'h3'
import type { AuthSession } from '../../auth/auth-session.js'
import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions, requireAuthSession } from '../../auth/guard.js'
import type { RegisteredUser } from '../../auth/register.js'
import type { RegisteredData } from '../../core/register.js'
import { hasResponded } from '../express/before-headers.js'
import { prepareGuard } from '../shared.js'

declare module 'h3' {
  interface H3EventContext {
    /** The request's auth session from an `AuthSessions` manager with the default name. */
    authSession: AuthSession<RegisteredData<'authSession'>, RegisteredUser>
  }
}

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Handles a request without login instead of the default 401 or redirect:
   * answer it (`sendRedirect`, `send`) or throw (`createError`). If it does
   * neither, the default answer is sent.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: () => { throw createError({ statusCode: 404 }) } })
   * ```
   */
  onUnauthenticated?: (event: H3Event) => unknown
}

/**
 * An h3 1.x handler that lets a request through only when a user is logged
 * in to `auth`. Otherwise it answers 401 with a small JSON body, or redirects
 * to `redirectTo` with the requested path in `next`, or leaves the answer to
 * `onUnauthenticated`. OPTIONS requests pass by default (`exemptMethods`).
 * Use it as a route's `onRequest` hook or as a middleware before the routes
 * it guards (Nitro: a server middleware); `latchkey(auth)` must run first.
 * Options are checked here, when the guard is made.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * const account = defineEventHandler({
 *   onRequest: [loginRequired(auth, { redirectTo: '/login' })],
 *   handler: async (event) => ({ user: await event.context.authSession.currentUser() }),
 * })
 * ```
 */
export function loginRequired(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions = {},
): EventHandler<never, Promise<undefined>> {
  const { guard, onUnauthenticated, name } = prepareGuard(auth, options, '(event) => unknown')
  const handler = async (event: H3Event): Promise<undefined> => {
    const session = requireAuthSession(event.context[name], name)
    const { req, res } = event.node
    const url = req.originalUrl ?? req.url ?? '/'
    const denial = await checkLogin(session, { method: req.method ?? 'GET', url }, guard)
    if (!denial) return undefined
    await onUnauthenticated?.(event)
    if (event.handled || hasResponded(res)) return undefined
    res.statusCode = denial.status
    for (const [header, value] of Object.entries(denial.headers)) res.setHeader(header, value)
    res.end(denial.body ?? '')
    // Marked answered as h3's own send() does (the response may be held while sessions save).
    ;(event as unknown as { _handled: boolean })._handled = true
    return undefined
  }
  ;(handler as { __is_handler__?: boolean }).__is_handler__ = true
  return handler as unknown as EventHandler<never, Promise<undefined>>
}
