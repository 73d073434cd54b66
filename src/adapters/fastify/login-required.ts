import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { AuthSession } from '../../auth/auth-session.js'
import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions, requireAuthSession } from '../../auth/guard.js'
import type { RegisteredUser } from '../../auth/register.js'
import type { RegisteredData } from '../../core/register.js'
import { prepareGuard } from '../shared.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's auth session from an `AuthSessions` manager with the default name. */
    authSession: AuthSession<RegisteredData<'authSession'>, RegisteredUser>
  }
}

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Handles a request without login instead of the default 401 or redirect;
   * it should send a reply. If it does not, the default answer is sent.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: (req, reply) => reply.code(404).send() })
   * ```
   */
  onUnauthenticated?: (request: FastifyRequest, reply: FastifyReply) => unknown
}

/**
 * A Fastify `preHandler` that lets a request through only when a user is
 * logged in to `auth`. Otherwise it answers 401 with a small JSON body, or
 * redirects to `redirectTo` with the requested path in `next`, or calls
 * `onUnauthenticated`. OPTIONS requests pass by default (`exemptMethods`).
 * Options are checked here, when the route is defined.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * app.get('/account', { preHandler: loginRequired(auth) }, handler)                        // 401
 * app.get('/settings', { preHandler: loginRequired(auth, { redirectTo: '/login' }) }, page) // 303
 * ```
 */
export function loginRequired(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions = {},
): preHandlerAsyncHookHandler {
  const { guard, onUnauthenticated, name } = prepareGuard(auth, options, '(request, reply) => …')
  return async function loginRequiredHook(request, reply) {
    const session = requireAuthSession((request as unknown as Record<string, unknown>)[name], name)
    const denial = await checkLogin(session, request, guard)
    if (!denial) return
    if (onUnauthenticated) {
      await onUnauthenticated(request, reply)
      if (reply.sent) return reply
    }
    reply.code(denial.status).headers(denial.headers)
    return reply.send(denial.body)
  }
}
