/**
 * Sessions in React Router 7 (framework mode) loaders and actions, and in
 * Remix 2's: `import { withSessions } from 'latchkey/react-router'`. Nothing
 * here imports react-router: it works on the `Request` a loader gets and on
 * what the loader returns or throws.
 * @module
 */
import {
  findSessionError,
  isSessionError,
  SessionConfigError,
  webResponse,
} from '../../core/errors.js'
import { openSessions } from '../fetch/index.js'
import {
  type AnySessions,
  errorResponse,
  managerList,
  runThenFinish,
  type Settled,
} from '../shared.js'
import { withResultCookies } from './results.js'

export type { DataWithInit } from './results.js'

/** What React Router hands a loader or an action (`Route.LoaderArgs`, `ActionFunctionArgs`): latchkey needs its `request`. */
export interface DataFunctionArgs {
  request: Request
}

/**
 * Wraps a loader or an action: `sessions.of(request)` gives the request's
 * session in it; once it returns (or throws), the sessions it used are saved
 * and unlocked and their `Set-Cookie` headers added to what it returned: a
 * `Response`, `data(value, init)`, or a plain value (made `data(value,
 * { headers })`). A thrown `Response` or `data()`, such as `redirect()`, gets
 * them too. React Router merges the cookies of every loader into its answer.
 *
 * Each wrapped loader has sessions of its own: React Router runs the loaders
 * of a request's routes at the same time, so the loader gets its own copy of
 * a GET request, and `lock()` in two of them waits as two requests would,
 * each reading what the other saved. A session error (a lock timeout, a store
 * outage, saving failing) is thrown as latchkey's JSON `Response` (503 with
 * `Retry-After`, or 500): a resource route answers it as it is, a UI route
 * shows its `ErrorBoundary`. Other errors are thrown on, after the locks are
 * released.
 *
 * @example
 * ```ts
 * export const action = withSessions(sessions, async ({ request }: Route.ActionArgs) => {
 *   await using s = await sessions.of(request).lock()
 *   s.set('n', (s.get('n') ?? 0) + 1)
 *   return { n: s.get('n') }
 * })
 * ```
 */
export function withSessions<Args extends DataFunctionArgs, Result>(
  managers: AnySessions | readonly AnySessions[],
  fn: (args: Args) => Result,
): (args: Args) => Promise<Awaited<Result>> {
  const list = managerList(managers)
  if (typeof fn !== 'function')
    throw new SessionConfigError('withSessions(managers, fn) needs a loader or action function')
  return async (args): Promise<Awaited<Result>> => {
    const request = ownRequest(args.request)
    const sessions = openSessions(request, list)
    let settled: Settled<unknown>
    try {
      settled = await runThenFinish(sessions, () =>
        fn(request === args.request ? args : { ...args, request }),
      )
    } catch (error) {
      if (!isSessionError(error)) console.error('latchkey: saving the session failed', error)
      throw errorAsResponse(error)
    }
    if (!settled.threw) return withResultCookies(settled.value, settled.cookies) as Awaited<Result>
    const sessionError = findSessionError(settled.error)
    if (sessionError) throw errorAsResponse(sessionError)
    throw withResultCookies(settled.error, settled.cookies, true)
  }
}

/**
 * A GET's own copy, so that the loaders running beside it on the same
 * `Request` find their own sessions through it. An action's request (the one
 * with a body) runs alone and is kept.
 */
function ownRequest(request: Request): Request {
  if (!(request instanceof Request))
    throw new SessionConfigError('withSessions: the loader was called without a Request')
  return request.method === 'GET' || request.method === 'HEAD' ? new Request(request) : request
}

function errorAsResponse(error: unknown): Response {
  return webResponse(errorResponse(error))
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
