/**
 * Express 4 and 5 middleware: `import { latchkey } from 'latchkey/express'`.
 * @module
 */
import type { Application, ErrorRequestHandler, RequestHandler } from 'express'
import { isSessionError } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { Session } from '../../core/session.js'
import type { RequestSessions } from '../request-sessions.js'
import { type AnySessions, checkManagers, errorResponse } from '../shared.js'
import { SessionAttacher } from './attach.js'
import { type Answer, beforeHeaders, hasResponded } from './before-headers.js'

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
 * A session error escaping a handler that no error handler of the app answers
 * gets latchkey's JSON answer (`SessionError.getResponse`), in production and
 * development alike, instead of Express's error page: a lock timeout or a store
 * outage answers 503 with `Retry-After`. For that, the first request adds one
 * error handler at the end of the app's stack, after the app's own. When saving
 * fails, the app's response is replaced by the same JSON 503 or 500.
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
    // Added on the first request: the app's own error handlers are in its stack by then.
    if (!answering.has(req.app)) {
      answering.add(req.app)
      req.app.use(answerSessionError)
    }
    const sessions = attacher.attach(req)
    if (sessions) beforeHeaders(res, sessions, finish, failed)
    next()
  }
}

/** Apps whose stack ends with {@link answerSessionError}. */
const answering = new WeakSet<Application>()

const answerSessionError: ErrorRequestHandler = (error, _req, res, next) => {
  if (!isSessionError(error) || hasResponded(res)) return next(error)
  const { status, headers, body } = errorResponse(error)
  res.status(status).set(headers).end(body)
}

function finish(sessions: RequestSessions): string[] | Promise<string[]> {
  return sessions.finish()
}

function failed(error: unknown): Answer {
  if (!isSessionError(error)) console.error('latchkey: saving the session failed', error)
  return errorResponse(error)
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
export {
  ExpressCompatCookie,
  ExpressCompatSession,
  expressSession,
  expressSessionCompat,
} from './session-compat.js'
