import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  UnauthorizedException,
} from '@nestjs/common'
import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions, requireAuthSession } from '../../auth/guard.js'
import { prepareGuard } from '../shared.js'
import { type NestResponse, setHeader } from './response.js'

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Handles a request without login instead of the default 401 or redirect:
   * throw an exception of your own. If it returns, the default is thrown.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: () => { throw new NotFoundException() } })
   * ```
   */
  onUnauthenticated?: (context: ExecutionContext) => unknown
}

interface NestRequest {
  [property: string]: unknown
  method: string
  url: string
  /** Express's; Fastify's `url` is the request target already. */
  originalUrl?: string
}

/**
 * A Nest guard, for `@UseGuards(...)` on a controller or a route, that lets a
 * request through only when a user is logged in to `auth`. Otherwise it
 * throws `UnauthorizedException` with latchkey's body
 * `{"error":"Unauthorized","message":"Login required"}` (and
 * `Cache-Control: no-store`), or, with `redirectTo`, an `HttpException` of
 * status 303 with `Location` set to `redirectTo` and the requested path in
 * `next`; or what `onUnauthenticated` throws. Being exceptions, the denials
 * go through the app's exception filters. OPTIONS requests pass by default
 * (`exemptMethods`). Options are checked here, when the guard is made.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * const guard = loginRequired(auth, { redirectTo: '/login' })
 * @Get('account')
 * @UseGuards(guard)
 * async account(@Req() req: Request) { … }
 * ```
 */
export function loginRequired(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions = {},
): CanActivate {
  const { guard, onUnauthenticated, name } = prepareGuard(auth, options, '(context) => unknown')
  return {
    async canActivate(context) {
      const http = context.switchToHttp()
      const req = http.getRequest<NestRequest>()
      const session = requireAuthSession(req[name], name)
      const url = req.originalUrl ?? req.url
      const denial = await checkLogin(session, { method: req.method, url }, guard)
      if (!denial) return true
      await onUnauthenticated?.(context)
      const res = http.getResponse<NestResponse>()
      // Nest's filter writes the body (JSON) with the exception's status; these go with it.
      for (const [header, value] of Object.entries(denial.headers))
        if (header !== 'content-type') setHeader(res, header, value)
      if (denial.body === undefined) throw new HttpException('Login required', denial.status)
      throw new UnauthorizedException(JSON.parse(denial.body))
    },
  }
}
