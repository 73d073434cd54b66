/**
 * Sessions for Web-standard handlers, `Request` in and `Response` out:
 * `import { withSessions } from 'latchkey/fetch'`. For `Bun.serve`,
 * `Deno.serve`, `export default { fetch }` workers, and any framework whose
 * handlers take a `Request`.
 * @module
 */
import { bindSessions } from '../../core/bound-sessions.js'
import { SessionConfigError, webResponse } from '../../core/errors.js'
import type { Session } from '../../core/session.js'
import { RequestSessions } from '../request-sessions.js'
import { type AnySessions, finishAfter, managerList } from '../shared.js'
import { requestInfo, type SessionSource, withCookies } from './web-request.js'

export type { SessionSource } from './web-request.js'

/** A Web handler: Bun's `(request, server)`, a worker's `(request, env, ctx)`, or just `(request)`. */
export type FetchHandler<Args extends unknown[] = []> = (
  request: Request,
  ...args: Args
) => Response | Promise<Response>

/**
 * The sessions of one Web request, opened (no I/O) when first asked for.
 * Finish them exactly once, with `respond(response)` or `finish()`, also when
 * the handler fails: finishing saves what changed and releases the locks.
 */
export class WebSessions extends RequestSessions {
  /**
   * Saves and unlocks the sessions, then gives `response` with their
   * `Set-Cookie` headers (a copy if its headers cannot be changed). Rejects
   * with the session error when saving fails (a 503 for a store outage: see
   * `SessionError.getResponse()`).
   */
  async respond(response: Response): Promise<Response> {
    return withCookies(response, await this.finish())
  }
}

/**
 * Opens the sessions of a Web request for `managers`. Given the `Request`
 * itself, `sessions.of(request)` finds them too.
 *
 * @example
 * ```ts
 * const web = openSessions(request, [sessions])
 * await using s = await web.get(sessions).lock()
 * s.set('n', (s.get('n') ?? 0) + 1)
 * return web.respond(Response.json({ n: s.get('n') })) // saves before it answers
 * ```
 */
export function openSessions(
  source: SessionSource,
  managers: AnySessions | readonly AnySessions[],
): WebSessions {
  const list = managerList(managers)
  const sessions = new WebSessions(requestInfo(source), list)
  if (source instanceof Request)
    bindSessions(source, (manager) =>
      sessions.has(manager) ? (sessions.get(manager as AnySessions) as Session) : undefined,
    )
  return sessions
}

/**
 * Wraps a Web handler: `sessions.of(request)` gives the request's session in
 * it; once it returns, the sessions are saved and unlocked and their cookies
 * added to its response. Also when it throws: a session error is then
 * answered with its own response (JSON, 503 with `Retry-After` for a lock
 * timeout or a store outage, 500 otherwise), and any other error is rethrown
 * for the runtime to answer. A failure to save is answered the same way.
 *
 * Session changes must be made before the handler returns its response; a
 * streamed body is sent after the session was saved.
 *
 * @example
 * ```ts
 * Bun.serve({
 *   fetch: withSessions(sessions, async (request) => {
 *     await using s = await sessions.of(request).lock()
 *     s.set('n', (s.get('n') ?? 0) + 1)
 *     return Response.json({ n: s.get('n') })
 *   }),
 * })
 * ```
 */
export function withSessions<Args extends unknown[]>(
  managers: AnySessions | readonly AnySessions[],
  handler: FetchHandler<Args>,
): (request: Request, ...args: Args) => Promise<Response> {
  const list = managerList(managers)
  if (typeof handler !== 'function')
    throw new SessionConfigError('withSessions(managers, handler) needs a handler function')
  return async (request, ...args) => {
    const sessions = openSessions(request, list)
    let response: Response | undefined
    const outcome = await finishAfter(sessions, async () => {
      response = await handler(request, ...args)
    })
    if (outcome.answer) {
      if (outcome.failure) console.error('latchkey: saving the session failed', outcome.failure)
      return webResponse(outcome.answer)
    }
    if (!(response instanceof Response))
      throw new TypeError(`a withSessions handler must return a Response, got ${String(response)}`)
    return withCookies(response, outcome.cookies)
  }
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
