/**
 * Fastify 5 plugin: `import { latchkey } from 'latchkey/fastify'`.
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errorAnswer, SessionError, SessionUnavailableError } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { Session } from '../../core/session.js'
import { RequestSessions } from '../request-sessions.js'
import { type AnySessions, checkManagers, errorResponse } from '../shared.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session from a `Sessions` manager with the default name. */
    session: Session<RegisteredData<'session'>>
  }
}

/** The request's sessions, made when the first is used. */
const SESSIONS = Symbol('latchkey.sessions')
/**
 * The request's reply, kept by the onRequest hook until the response's end is
 * watched (one property fewer to set up on every request than a separate flag).
 */
const REPLY = Symbol('latchkey.reply')
/** The session error that reached Fastify's error handling for this request, if any. */
const ESCAPED = Symbol('latchkey.escaped')

type Tracked = FastifyRequest & {
  [SESSIONS]: RequestSessions | null
  [REPLY]: FastifyReply | null
  [ESCAPED]: SessionError | null
}

function sessionsOf(request: FastifyRequest): RequestSessions {
  const tracked = request as Tracked
  tracked[SESSIONS] ??= new RequestSessions({
    cookie: request.headers.cookie,
    userAgent: request.headers['user-agent'],
    onPending: () => watchEnd(tracked),
  })
  return tracked[SESSIONS]
}

/**
 * Finishes the request's sessions when its response ends, should onSend never
 * finish them (a hijacked reply). Only requests whose sessions hold work left
 * for finishing are watched: a listener on every response costs every request.
 */
function watchEnd(request: Tracked): void {
  const reply = request[REPLY]
  // None: watched already, or the onRequest hook has not run yet (it watches then).
  if (!reply) return
  request[REPLY] = null
  reply.raw.once('close', () => {
    const sessions = request[SESSIONS]
    if (!sessions) return
    Promise.resolve(sessions.finish()).then(undefined, (error: unknown) => {
      request.log.error({ err: error }, 'latchkey: finishing the session after the response failed')
    })
  })
}

/**
 * The latchkey plugin: attaches one session per manager to every request (as
 * `request[manager.name]`), saves them and sets their cookies before the
 * response headers are sent. A session error that reaches Fastify's default
 * error handler, or a failed save, gets latchkey's JSON answer
 * (`SessionError.getResponse`): 503 with `Retry-After` for "try again". A body
 * the app's own error handler sends is kept.
 *
 * @example
 * ```ts
 * const app = Fastify()
 * await app.register(latchkey(sessions, auth))
 * app.get('/inc', async (req) => {
 *   await using s = await req.session.lock()
 *   s.set('n', (s.get('n') ?? 0) + 1)
 *   return { n: s.get('n') }
 * })
 * ```
 */
export function latchkey(...managers: AnySessions[]): FastifyPluginAsync {
  checkManagers(managers)
  const plugin = async (app: FastifyInstance): Promise<void> => {
    if (!app.hasRequestDecorator(SESSIONS)) {
      app.decorateRequest(SESSIONS, null)
      app.decorateRequest(REPLY, null)
      app.decorateRequest(ESCAPED, null)
    }
    for (const manager of managers) {
      // A session is made when a handler first uses it: untouched routes cost nothing.
      app.decorateRequest(manager.name, {
        getter(this: FastifyRequest) {
          return sessionsOf(this).get(manager)
        },
      })
    }

    app.addHook('onRequest', (request, reply, done) => {
      const tracked = request as Tracked
      tracked[REPLY] = reply
      // Sessions used by hooks that ran before this one.
      if (tracked[SESSIONS]) watchEnd(tracked)
      done()
    })

    app.addHook('onError', (request, reply, error, done) => {
      if (error instanceof SessionError) (request as Tracked)[ESCAPED] = error
      if (error instanceof SessionUnavailableError)
        reply.header('retry-after', String(error.retryAfter))
      done()
    })

    app.addHook('onSend', (request, reply, sent, done) => {
      let payload = sent
      const escaped = (request as Tracked)[ESCAPED]
      if (escaped && isDefaultErrorBody(payload, escaped, reply.statusCode)) {
        const answer = errorAnswer(escaped)
        // Fastify set the length of its own body; it measures this one itself.
        reply.removeHeader('content-length')
        reply.headers(answer.headers)
        payload = answer.body
      }
      // With cookies, finish() may have a session to open unused (Sessions.mustOpen).
      const sessions =
        request.headers.cookie === undefined ? (request as Tracked)[SESSIONS] : sessionsOf(request)
      sessions?.add(managers)
      const finished = sessions ? sessions.finish() : []
      if (Array.isArray(finished)) {
        for (const cookie of finished) reply.header('set-cookie', cookie)
        done(null, payload)
        return
      }
      finished.then(
        (cookies) => {
          for (const cookie of cookies) reply.header('set-cookie', cookie)
          done(null, payload)
        },
        (error: unknown) => {
          if (!(error instanceof SessionError)) {
            done(error as Error)
            return
          }
          const answer = errorResponse(error)
          request.log.error({ err: error }, 'latchkey: saving the session failed')
          reply.removeHeader('set-cookie')
          reply.code(answer.status)
          for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value)
          done(null, answer.body)
        },
      )
    })
  }
  return fp(plugin, { fastify: '5.x', name: 'latchkey' })
}

/**
 * Whether `payload` is what Fastify's default error handler sends for `error`
 * (`{statusCode, code, error, message}`): that answer is replaced by latchkey's
 * own, while a body the app's error handler made is left alone.
 */
function isDefaultErrorBody(payload: unknown, error: SessionError, status: number): boolean {
  if (typeof payload !== 'string' || status !== error.statusCode) return false
  let body: unknown
  try {
    body = JSON.parse(payload)
  } catch {
    return false
  }
  if (typeof body !== 'object' || body === null) return false
  const { code, message, statusCode, ...rest } = body as Record<string, unknown>
  return (
    code === error.code &&
    message === error.message &&
    statusCode === status &&
    Object.keys(rest).join() === 'error'
  )
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
