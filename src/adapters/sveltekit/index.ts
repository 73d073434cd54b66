/**
 * SvelteKit 2 hooks: `import { latchkey } from 'latchkey/sveltekit'`. The
 * sessions live on `event.locals`, typed through `App.Locals`
 * (`interface Locals extends LatchkeyLocals {}` in `src/app.d.ts`).
 * @module
 */
import type { Handle, HandleServerError } from '@sveltejs/kit'
import type { AuthSession } from '../../auth/auth-session.js'
import type { RegisteredUser } from '../../auth/register.js'
import {
  type ErrorAnswer,
  findSessionError,
  type SessionError,
  webResponse,
} from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { Session } from '../../core/session.js'
import { openSessions, type WebSessions } from '../fetch/index.js'
import { withCookies } from '../fetch/web-request.js'
import { defineLazyProperty } from '../request-sessions.js'
import { type AnySessions, checkManagers, errorResponse, finishAfter } from '../shared.js'

/** `event.locals.session`: the session of a `Sessions` manager with the default name. */
export interface SessionLocals {
  /** The request's session from a `Sessions` manager with the default name. */
  session: Session<RegisteredData<'session'>>
}

/** `event.locals.authSession`: the session of an `AuthSessions` manager with the default name. */
export interface AuthLocals {
  /** The request's auth session from an `AuthSessions` manager with the default name. */
  authSession: AuthSession<RegisteredData<'authSession'>, RegisteredUser>
}

/**
 * What `latchkey(sessions, auth)` puts on `event.locals`, for `App.Locals` to
 * extend. A manager with another `name` is `event.locals[name]`: declare it
 * beside (`cart: Session<Cart>`).
 *
 * @example
 * ```ts
 * // src/app.d.ts
 * import type { LatchkeyLocals } from 'latchkey/sveltekit'
 * declare global {
 *   namespace App {
 *     interface Locals extends LatchkeyLocals {}
 *   }
 * }
 * export {}
 * ```
 */
export interface LatchkeyLocals extends SessionLocals, AuthLocals {}

const ofRequest = new WeakMap<Request, WebSessions>()
/** Session errors that escaped a load, an action or an endpoint, seen by {@link handleSessionError}. */
const escaped = new WeakMap<Request, SessionError>()

/**
 * The latchkey `handle` hook: gives every request one session per manager as
 * `event.locals[manager.name]` (opened when the app first reads it; also
 * `sessions.of(event.request)`). Once `resolve(event)` has the response, the
 * sessions used are saved, their locks released and their cookies appended,
 * whatever the response is: a page, an endpoint's `Response`, an action's
 * `redirect()`, an error page. A lock still held is released then too.
 * Compose it with other hooks through `sequence`.
 *
 * A failure to save answers latchkey's JSON instead (503 with `Retry-After`
 * for a store outage). A session error escaping a load, an action or an
 * endpoint gets the same answer when {@link handleSessionError} is the
 * `handleError` hook; otherwise it is SvelteKit's 500.
 *
 * Session changes must be made before the response is resolved: a streamed
 * load's promise settles after the session was saved.
 *
 * @example
 * ```ts
 * // src/hooks.server.ts
 * export const handle = latchkey(sessions, auth)
 * export const handleError = handleSessionError
 * ```
 */
export function latchkey(...managers: AnySessions[]): Handle {
  checkManagers(managers)
  return async ({ event, resolve }) => {
    const locals = event.locals as unknown as Record<string, unknown>
    const existing = ofRequest.get(event.request)
    if (existing) {
      // A second latchkey() in the same sequence: the first one finishes these too.
      existing.add(managers)
      defineLocals(locals, existing, managers)
      return resolve(event)
    }
    const sessions = openSessions(event.request, managers)
    ofRequest.set(event.request, sessions)
    defineLocals(locals, sessions, managers)
    let response: Response | undefined
    const outcome = await finishAfter(sessions, async () => {
      response = await resolve(event)
    })
    if (outcome.answer) {
      if (outcome.failure) console.error('latchkey: saving the session failed', outcome.failure)
      return replaced(response, outcome.answer)
    }
    const error = escaped.get(event.request)
    if (error) return replaced(response, errorResponse(error))
    return withCookies(response as Response, outcome.cookies)
  }
}

/** latchkey's answer instead of the app's response, whose body is never sent. */
async function replaced(response: Response | undefined, answer: ErrorAnswer): Promise<Response> {
  await response?.body?.cancel().catch(() => {})
  return webResponse(answer)
}

function defineLocals(
  locals: Record<string, unknown>,
  sessions: WebSessions,
  managers: readonly AnySessions[],
): void {
  for (const manager of managers)
    defineLazyProperty(locals, manager.name, () => sessions.get(manager))
}

/**
 * A `handleError` hook that lets the `handle` hook answer a session error
 * escaping a load, an action or an endpoint with latchkey's JSON: 503 with
 * `Retry-After` for a lock timeout or a store outage, 500 otherwise. Any
 * other error is logged with `console.error`, as SvelteKit's own default does,
 * and left to SvelteKit. Call it first from a `handleError` of your own.
 *
 * @example
 * ```ts
 * export const handleError: HandleServerError = (input) => {
 *   handleSessionError(input)
 *   return { message: 'Something went wrong' }
 * }
 * ```
 */
export const handleSessionError: HandleServerError = ({ error, event }) => {
  const sessionError = findSessionError(error)
  if (sessionError) escaped.set(event.request, sessionError)
  else console.error(error)
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
