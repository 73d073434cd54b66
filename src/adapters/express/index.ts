/**
 * Express 4 and 5 middleware: `import { latchkey } from 'latchkey/express'`.
 * @module
 */
import type { RequestHandler } from 'express'
import { isSessionError } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { Session } from '../../core/session.js'
import { type AnySessions, checkManagers, failureResponse } from '../shared.js'
import { type Answer, beforeHeaders } from './before-headers.js'
import { type RequestSessions, SessionAttacher } from './request-sessions.js'

declare module 'express-serve-static-core' {
  interface Request {
    /** The request's session from a `Sessions` manager with the default name. */
    session: Session<RegisteredData<'session'>>
  }
}

/**
 * The latchkey middleware: gives every request one session per manager (as
 * `req[manager.name]`, made when the app first reads it), then saves the
 * sessions used and appends their cookies just before the response headers
 * are written, whichever way the response is sent (`res.send`, `res.json`,
 * `res.redirect`, `res.end`, `stream.pipe(res)`).
 * Register it before the routes that use sessions.
 *
 * A session error escaping a handler carries `statusCode` and `headers`, which
 * Express's error handling applies: a lock timeout or a store outage answers
 * 503 with `Retry-After`. When saving fails, the app's response is replaced by
 * a JSON 503 (with `Retry-After`) or 500.
 *
 * Session changes must be made before the response starts: the session is
 * saved when the first byte (or header) is written.
 *
 * @example
 * ```ts
 * const app = express()
 * app.use(latchkey(sessions))
 * app.post('/inc', async (req, res) => {
 *   await using s = await req.session.lock()
 *   s.set('n', (s.get('n') ?? 0) + 1)
 *   res.json({ n: s.get('n') })
 * })
 * ```
 */
export function latchkey(...managers: AnySessions[]): RequestHandler {
  checkManagers(managers)
  const attacher = new SessionAttacher(managers)
  return (req, res, next) => {
    const sessions = attacher.attach(req)
    if (sessions) beforeHeaders(res, sessions, finish, failed)
    next()
  }
}

function finish(sessions: RequestSessions): string[] | Promise<string[]> {
  return sessions.finish()
}

function failed(error: unknown): Answer {
  if (!isSessionError(error)) console.error('latchkey: saving the session failed', error)
  return failureResponse(error)
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
