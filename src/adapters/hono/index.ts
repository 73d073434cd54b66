/**
 * Hono 4 middleware: `import { latchkey } from 'latchkey/hono'`. Runs wherever
 * Hono runs (Node, Bun, Deno, workers) with a store reachable from there.
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono'
import { type ErrorAnswer, webResponse } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { RequestInfo, Session } from '../../core/session.js'
import { RequestSessions } from '../request-sessions.js'
import { type AnySessions, checkManagers, finishAfter } from '../shared.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's session from a `Sessions` manager with the default name. */
    session: Session<RegisteredData<'session'>>
  }
}

/**
 * The latchkey middleware: sets one session per manager as a context variable
 * (`c.get(manager.name)`), then, once the handler has produced its response,
 * saves them and appends their cookies to it.
 *
 * A session error escaping a handler is answered by Hono's default `onError`
 * with the error's `getResponse()`, as an `HTTPException` is: JSON, 503 with
 * `Retry-After` for a lock timeout or a store outage, 500 otherwise (an app's
 * own `onError` can return `err.getResponse()` for session errors). A failure
 * to save is answered the same way by this middleware.
 *
 * Session changes must be made before the handler returns its response; a
 * streaming callback runs after the session was saved.
 *
 * @example
 * ```ts
 * const app = new Hono()
 * app.use(latchkey(sessions))
 * app.post('/inc', async (c) => {
 *   await using s = await c.get('session').lock()
 *   s.set('n', (s.get('n') ?? 0) + 1)
 *   return c.json({ n: s.get('n') })
 * })
 * ```
 */
export function latchkey(...managers: AnySessions[]): MiddlewareHandler {
  checkManagers(managers)
  return async (c, next) => {
    const sessions = new RequestSessions(new HonoRequestInfo(c), managers)
    // Hono's variables are a plain map: each session is opened up front (no I/O).
    for (const manager of managers) c.set(manager.name as 'session', sessions.get(manager))
    const outcome = await finishAfter(sessions, next)
    if (outcome.answer) {
      if (outcome.failure) console.error('latchkey: saving the session failed', outcome.failure)
      replace(c, outcome.answer)
      return
    }
    const { cookies } = outcome
    if (cookies.length === 0) return
    try {
      for (const cookie of cookies) c.res.headers.append('set-cookie', cookie)
    } catch {
      // Headers of some responses (Response.redirect, a fetch() passed through) are immutable.
      c.res = new Response(c.res.body, c.res)
      for (const cookie of cookies) c.res.headers.append('set-cookie', cookie)
    }
  }
}

/**
 * The request as sessions see it. Hono looks a header up through the Fetch
 * `Headers` of the request on every call, so each is looked up only when a
 * session needs it: the cookie at first use, the user agent at login.
 */
class HonoRequestInfo implements RequestInfo {
  readonly #c: Context
  constructor(c: Context) {
    this.#c = c
  }
  get cookie(): string | undefined {
    return this.#c.req.header('cookie')
  }
  get userAgent(): string | undefined {
    return this.#c.req.header('user-agent')
  }
}

function replace(c: Context, answer: ErrorAnswer): void {
  // Unset first: assigning over a response merges the old one's headers into the new.
  c.res = undefined
  c.res = webResponse(answer)
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
