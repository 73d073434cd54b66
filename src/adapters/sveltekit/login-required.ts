import type { RequestEvent } from '@sveltejs/kit'
import type { AuthSessions } from '../../auth/auth-sessions.js'
import { checkLogin, type GuardOptions, requireAuthSession } from '../../auth/guard.js'
import { prepareGuard } from '../shared.js'

/** Options of {@link loginRequired}. */
export interface LoginRequiredOptions extends GuardOptions {
  /**
   * Handles a request without login instead of the default 401 or redirect:
   * throw `redirect()` or `error()` of your own. If it returns, the default
   * is thrown.
   * @example
   * ```ts
   * loginRequired(auth, { onUnauthenticated: () => error(404, 'Not found') })
   * ```
   */
  onUnauthenticated?: (event: RequestEvent) => unknown
}

/**
 * A guard for a `load`, an action or an endpoint (`+page.server.ts`,
 * `+server.ts`): `await guard(event)` returns when a user is logged in to
 * `auth`; otherwise it throws SvelteKit's `error(401)` (for an endpoint, the
 * JSON `{ error, message }`; for a page, the error page) or `redirect()` to
 * `redirectTo` with the requested path in `next`, or what `onUnauthenticated`
 * throws. OPTIONS requests pass by default (`exemptMethods`). The `handle`
 * hook `latchkey(auth)` must run first. Options are checked here, when the
 * guard is made.
 *
 * `redirect()` and `error()` are SvelteKit's, imported when a request is
 * denied. SvelteKit knows them by class: this entry's `svelte` export
 * condition has Vite bundle latchkey with the app, so they are the app's own
 * copy. Listed in `ssr.external`, latchkey would load another one, and a
 * denial would answer 500.
 *
 * @throws {SessionConfigError} for invalid options.
 * @example
 * ```ts
 * const guard = loginRequired(auth, { redirectTo: '/login' })
 * export const load = async (event) => {
 *   await guard(event)
 *   return { user: await event.locals.authSession.currentUser() }
 * }
 * ```
 */
export function loginRequired(
  // biome-ignore lint/suspicious/noExplicitAny: a manager of any data and user type
  auth: AuthSessions<any, any>,
  options: LoginRequiredOptions = {},
): (event: RequestEvent) => Promise<void> {
  const { guard, onUnauthenticated, name } = prepareGuard(auth, options, '(event) => unknown')
  return async (event) => {
    const session = requireAuthSession(
      (event.locals as unknown as Record<string, unknown>)[name],
      name,
    )
    const { url, request } = event
    const denial = await checkLogin(
      session,
      { method: request.method, url: `${url.pathname}${url.search}` },
      guard,
    )
    if (!denial) return
    await onUnauthenticated?.(event)
    const kit = await import('@sveltejs/kit')
    try {
      event.setHeaders({ 'cache-control': 'no-store' })
    } catch {
      // The app set its own cache-control already.
    }
    const { location } = denial.headers
    if (location !== undefined) kit.redirect(denial.status as 302 | 303, location)
    kit.error(denial.status, JSON.parse(denial.body ?? '{}'))
  }
}
