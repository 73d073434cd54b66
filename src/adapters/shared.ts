import type { AuthSessions } from '../auth/auth-sessions.js'
import { type GuardOptions, type ResolvedGuard, resolveGuard } from '../auth/guard.js'
import { type ErrorAnswer, errorAnswer, SessionConfigError, SessionError } from '../core/errors.js'
import type { RequestInfo, Session } from '../core/session.js'
import type { Sessions } from '../core/sessions.js'

/** A manager as adapters see it, whatever its data type. */
// biome-ignore lint/suspicious/noExplicitAny: adapters accept managers of any data type
export type AnySessions = Sessions<any>

/**
 * Checks the managers registered together: at least one, and no two sharing a
 * request property or a cookie name (they would overwrite each other).
 */
export function checkManagers(managers: readonly AnySessions[]): void {
  if (managers.length === 0)
    throw new SessionConfigError('latchkey() needs at least one Sessions or AuthSessions manager')
  const names = new Set<string>()
  const cookies = new Set<string>()
  for (const manager of managers) {
    if (!manager || typeof manager.open !== 'function') {
      throw new SessionConfigError('latchkey() takes Sessions or AuthSessions managers')
    }
    if (names.has(manager.name))
      throw new SessionConfigError(
        `two managers use the request property "${manager.name}"; give one another \`name\``,
      )
    const cookie = manager.options.cookie.name
    if (cookies.has(cookie))
      throw new SessionConfigError(
        `two managers use the cookie "${cookie}"; give one another \`cookie.name\``,
      )
    names.add(manager.name)
    cookies.add(cookie)
  }
}

/**
 * The HTTP answer for an error that escaped session code or a commit: a
 * session error's own (`SessionError.getResponse`), anything else a plain 500.
 */
export function errorResponse(error: unknown): ErrorAnswer {
  if (error instanceof SessionError) return errorAnswer(error)
  return {
    status: 500,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: 'Internal Server Error' }),
  }
}

/**
 * Opens one session per manager for a request (no I/O) and hands each to
 * `attach` under the manager's request property.
 */
export function openSessions(
  managers: readonly AnySessions[],
  request: RequestInfo,
  attach: (name: string, session: Session) => void,
): Session[] {
  const sessions: Session[] = []
  for (const manager of managers) {
    const session: Session = manager.open(request)
    attach(manager.name, session)
    sessions.push(session)
  }
  return sessions
}

/**
 * Finishes every session of a request (`Session.finish`) and returns their
 * `Set-Cookie` values: synchronously when none needs I/O, else a promise. All
 * are finished even when one fails, so no lock stays held; the first failure
 * is then thrown (rejected).
 */
export function finishSessions(sessions: readonly Session[]): string[] | Promise<string[]> {
  if (sessions.length === 1) return (sessions[0] as Session).finish()
  const results = sessions.map((session) => session.finish())
  if (results.every((result) => Array.isArray(result))) return (results as string[][]).flat()
  return Promise.allSettled(results).then((settled) => {
    const cookies: string[] = []
    for (const outcome of settled) {
      if (outcome.status === 'rejected') throw outcome.reason
      cookies.push(...outcome.value)
    }
    return cookies
  })
}

/** What every framework's `loginRequired` works from, checked when the route is defined. */
export interface PreparedGuard<Handler> {
  guard: ResolvedGuard
  onUnauthenticated: Handler | undefined
  /** The request property of the manager's sessions. */
  name: string
}

/**
 * Checks the manager and options given to a `loginRequired` guard and resolves
 * them; `shape` shows the framework's `onUnauthenticated` signature in errors.
 */
export function prepareGuard<Handler>(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: GuardOptions & { onUnauthenticated?: Handler },
  shape: string,
): PreparedGuard<Handler> {
  if (typeof auth?.open !== 'function' || typeof auth.logoutEverywhere !== 'function')
    throw new SessionConfigError('loginRequired() takes an AuthSessions manager')
  const guard = resolveGuard(options)
  const { onUnauthenticated } = options
  if (onUnauthenticated !== undefined && typeof onUnauthenticated !== 'function')
    throw new SessionConfigError(`onUnauthenticated must be a function ${shape}`)
  return { guard, onUnauthenticated, name: auth.name }
}
