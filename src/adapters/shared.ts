import type { AuthSessions } from '../auth/auth-sessions.js'
import { type GuardOptions, type ResolvedGuard, resolveGuard } from '../auth/guard.js'
import {
  type ErrorAnswer,
  errorAnswer,
  isSessionError,
  SessionConfigError,
  SessionError,
} from '../core/errors.js'
import type { AnySessions, RequestSessions } from './request-sessions.js'

export type { AnySessions } from './request-sessions.js'

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

/** One manager or a list of them, as the Web wrappers take them, checked as {@link checkManagers} does. */
export function managerList(managers: AnySessions | readonly AnySessions[]): AnySessions[] {
  const list = Array.isArray(managers) ? [...managers] : [managers as AnySessions]
  checkManagers(list)
  return list
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

/** What a request's chain came to once its sessions are finished. */
export type Outcome =
  | { cookies: string[]; answer?: undefined }
  /** Send `answer` instead; `failure` is the error to report, when it is not a session error's own. */
  | { answer: ErrorAnswer; failure: unknown }

/** What running a handler came to, with the cookies of the sessions finished after it. */
export type Settled<T> = { cookies: string[] } & (
  | { threw: false; value: T }
  | { threw: true; error: unknown }
)

/**
 * Runs `fn`, then finishes the request's sessions, also when `fn` threw, so
 * that no lock stays held. Rejects with the failure to finish (a save that
 * failed); what `fn` threw is in the result, for the adapter to answer.
 */
export async function runThenFinish<T>(
  sessions: RequestSessions,
  fn: () => T,
): Promise<Settled<Awaited<T>>> {
  let settled: { threw: false; value: Awaited<T> } | { threw: true; error: unknown }
  try {
    settled = { threw: false, value: await fn() }
  } catch (error) {
    settled = { threw: true, error }
  }
  const finished = sessions.finish()
  // Most requests need no I/O to finish: no promise to wait for then.
  const cookies = Array.isArray(finished) ? finished : await finished
  return { ...settled, cookies }
}

/**
 * Runs the rest of a request's chain (`next`), then finishes its sessions,
 * also when the chain threw, so that no lock stays held. Gives the cookies to
 * append; or the answer to send instead when finishing failed or a session
 * error escaped the chain. Any other error escaping the chain is rethrown
 * once the sessions are finished.
 */
export async function finishAfter(
  sessions: RequestSessions,
  next: () => Promise<unknown>,
): Promise<Outcome> {
  let settled: Settled<unknown>
  try {
    settled = await runThenFinish(sessions, next)
  } catch (error) {
    return { answer: errorResponse(error), failure: isSessionError(error) ? undefined : error }
  }
  if (!settled.threw) return { cookies: settled.cookies }
  if (!isSessionError(settled.error)) throw settled.error
  return { answer: errorResponse(settled.error), failure: undefined }
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
