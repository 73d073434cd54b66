/**
 * Koa 2 and 3 middleware: `import { latchkey } from 'latchkey/koa'`.
 * @module
 */
import type { Context, Middleware } from 'koa'
import type { ErrorAnswer } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { Session } from '../../core/session.js'
import { RequestSessions } from '../request-sessions.js'
import { type AnySessions, checkManagers, finishAfter } from '../shared.js'

declare module 'koa' {
  interface DefaultContext {
    /** The request's session from a `Sessions` manager with the default name. */
    session: Session<RegisteredData<'session'>>
  }
}

/**
 * The latchkey middleware: attaches one session per manager to every context
 * (as `ctx[manager.name]`), then, once the downstream middleware has finished
 * and before Koa responds, saves them and appends their cookies. Register it
 * first, before the middleware that uses sessions.
 *
 * A session error escaping downstream, or a failure to save, is answered as
 * JSON: 503 with `Retry-After` for a lock timeout or a store outage, 500
 * otherwise. Other errors are rethrown to Koa after the sessions are saved.
 *
 * @example
 * ```ts
 * const app = new Koa()
 * app.use(latchkey(sessions))
 * app.use(async (ctx) => {
 *   await using s = await ctx.session.lock()
 *   s.set('n', (s.get('n') ?? 0) + 1)
 *   ctx.body = { n: s.get('n') }
 * })
 * ```
 */
export function latchkey(...managers: AnySessions[]): Middleware {
  checkManagers(managers)
  return async (ctx, next) => {
    const headers = ctx.req.headers
    const sessions = new RequestSessions(
      { cookie: headers.cookie, userAgent: headers['user-agent'] },
      managers,
    )
    // Opened up front (no I/O): defining a getter on each context costs Koa more than a
    // session does, measured as about 25 µs of server CPU per request.
    for (const manager of managers)
      (ctx as unknown as Record<string, unknown>)[manager.name] = sessions.get(manager)
    const outcome = await finishAfter(sessions, next)
    if (outcome.answer) {
      if (outcome.failure) ctx.app.emit('error', outcome.failure, ctx)
      answer(ctx, outcome.answer)
      return
    }
    for (const cookie of outcome.cookies) ctx.append('set-cookie', cookie)
  }
}

function answer(ctx: Context, { status, headers, body }: ErrorAnswer): void {
  for (const name of ctx.res.getHeaderNames()) ctx.res.removeHeader(name)
  ctx.set(headers)
  ctx.status = status
  ctx.body = body
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
