/**
 * latchkey/adapter-kit: the framework-neutral plumbing the Fastify, Express,
 * Hono and Koa adapters are built from, for writers of adapters to other
 * frameworks. Applications import `latchkey` and an adapter instead. See
 * docs/adapter-kit.md.
 *
 * @example
 * ```ts
 * import { checkLogin, requireAuthSession, resolveGuard } from 'latchkey/adapter-kit'
 * const guard = resolveGuard({ redirectTo: '/login' })
 * const denial = await checkLogin(requireAuthSession(req.authSession, 'authSession'), req, guard)
 * ```
 * @module
 */

export { defineLazyProperty, RequestSessions } from './adapters/request-sessions.js'
export {
  type AnySessions,
  checkManagers,
  errorResponse,
  finishAfter,
  type Outcome,
  type PreparedGuard,
  prepareGuard,
} from './adapters/shared.js'
export {
  checkLogin,
  type GuardOptions,
  type GuardRequest,
  type GuardResponse,
  type ResolvedGuard,
  requireAuthSession,
  resolveGuard,
  sitePath,
  unauthenticatedResponse,
} from './auth/guard.js'
export type { RequestInfo } from './core/session.js'
