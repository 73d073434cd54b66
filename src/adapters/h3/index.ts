/**
 * h3 1.x middleware, app hooks and a Nitro plugin: `import { latchkey } from
 * 'latchkey/h3'`. h3 1.x is the h3 of Nitro 2 and so of Nuxt 3 and 4; on
 * Node (`toNodeListener`, Nitro's node presets), where `event.node.res` is a
 * real `ServerResponse`.
 * @module
 */
import type { IncomingMessage } from 'node:http'
import type { EventHandler, H3Event } from 'h3'
import { findSessionError, isSessionError } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { Session } from '../../core/session.js'
import { type Answer, beforeHeaders, hasResponded } from '../express/before-headers.js'
import { defineLazyProperty, RequestSessions } from '../request-sessions.js'
import { type AnySessions, checkManagers, errorResponse } from '../shared.js'

declare module 'h3' {
  interface H3EventContext {
    /** The request's session from a `Sessions` manager with the default name. */
    session: Session<RegisteredData<'session'>>
  }
}

const ofEvent = new WeakMap<IncomingMessage, RequestSessions>()

/**
 * The latchkey middleware for h3 1.x: gives every request one session per
 * manager as `event.context[manager.name]` (opened when the app first reads
 * it), then saves the sessions used and appends their cookies just before the
 * response headers are written, whichever way the response is sent (a value
 * returned, `sendRedirect`, `sendStream`, `send`, an error page). Register it
 * before the routes: `app.use(latchkey(sessions))`, or as a Nitro server
 * middleware (`server/middleware/latchkey.ts: export default latchkey(sessions)`).
 *
 * A session error escaping a handler is answered with latchkey's JSON (503
 * with `Retry-After` for a lock timeout or a store outage) only when the app
 * passes {@link answerSessionError} as `onError`; otherwise h3 answers it with
 * its own error JSON, with the error's status (503 for a store outage).
 * When saving fails, the app's response is replaced by the JSON 503 or 500.
 *
 * Session changes must be made before the response starts: the session is
 * saved when the first byte (or header) is written.
 *
 * @example
 * ```ts
 * const app = createApp({ onError: answerSessionError })
 * app.use(latchkey(sessions))
 * const router = createRouter().post('/inc', defineEventHandler(async (event) => {
 *   await using s = await event.context.session.lock()
 *   s.set('n', (s.get('n') ?? 0) + 1)
 *   return { n: s.get('n') }
 * }))
 * app.use(router)
 * ```
 */
export function latchkey(...managers: AnySessions[]): EventHandler<never, undefined> {
  checkManagers(managers)
  const handler = (event: H3Event): undefined => {
    attach(event, managers)
    return undefined
  }
  // What h3's defineEventHandler marks, without importing h3 at run time.
  ;(handler as { __is_handler__?: boolean }).__is_handler__ = true
  return handler as unknown as EventHandler<never, undefined>
}

function attach(event: H3Event, managers: readonly AnySessions[]): void {
  const { req, res } = event.node
  for (const manager of managers) {
    defineLazyProperty(event.context, manager.name, () =>
      (ofEvent.get(req) as RequestSessions).get(manager),
    )
  }
  const existing = ofEvent.get(req)
  if (existing) {
    // A second latchkey() on the same request (a Nitro plugin and a middleware, say).
    existing.add(managers)
    return
  }
  const sessions = new RequestSessions(
    { cookie: req.headers.cookie, userAgent: req.headers['user-agent'] },
    managers,
  )
  ofEvent.set(req, sessions)
  beforeHeaders(res, sessions, finish, failed)
}

/**
 * An h3 `onError` that answers a session error escaping a handler with
 * latchkey's JSON (`SessionError.getResponse`): 503 with `Retry-After` for a
 * lock timeout or a store outage, 500 otherwise. Other errors are left to h3.
 * Returns whether it answered, for an `onError` of the app's own to call it first.
 *
 * @example
 * ```ts
 * const app = createApp({
 *   onError: (error, event) => {
 *     if (answerSessionError(error, event)) return
 *     console.error(error)
 *   },
 * })
 * ```
 */
export function answerSessionError(error: unknown, event: H3Event): boolean {
  const sessionError = findSessionError(error)
  const { res } = event.node
  if (!sessionError || event.handled || hasResponded(res)) return false
  const { status, headers, body } = errorResponse(sessionError)
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.setHeader('content-length', Buffer.byteLength(body))
  res.statusCode = status
  res.end(body)
  // Marked answered as h3's own send() does: the sessions may still be saving,
  // so the response is not ended yet and h3 would otherwise answer again.
  ;(event as unknown as { _handled: boolean })._handled = true
  return true
}

/** The part of a `NitroApp` {@link latchkeyNitro} uses. */
export interface NitroAppLike {
  hooks: {
    // biome-ignore lint/suspicious/noExplicitAny: Nitro's hooks take hook-specific arguments
    hook(name: string, handler: (...args: any[]) => unknown): unknown
  }
}

/**
 * A Nitro plugin (Nitro 2, so Nuxt 3 and 4 server routes): the middleware on
 * Nitro's `request` hook, so every server route and API route has
 * `event.context.session`. A session error escaping a route gets Nitro's (or
 * Nuxt's) error answer with the error's status (503 for a store outage);
 * for latchkey's JSON with `Retry-After`, call {@link answerSessionError}
 * first in a Nitro `errorHandler`.
 *
 * @example
 * ```ts
 * // server/plugins/latchkey.ts
 * export default defineNitroPlugin(latchkeyNitro(sessions))
 * ```
 */
export function latchkeyNitro(...managers: AnySessions[]): (nitroApp: NitroAppLike) => void {
  checkManagers(managers)
  return (nitroApp) => {
    nitroApp.hooks.hook('request', (event: H3Event) => attach(event, managers))
  }
}

function finish(sessions: RequestSessions): string[] | Promise<string[]> {
  return sessions.finish()
}

function failed(error: unknown): Answer {
  if (!isSessionError(error)) console.error('latchkey: saving the session failed', error)
  return errorResponse(error)
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
