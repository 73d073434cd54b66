import { SessionUsageError } from '../../core/errors.js'
import { openSessions } from '../fetch/index.js'
import { type AnySessions, runThenFinish } from '../shared.js'
import { nextHeaders, setCookies } from './next-headers.js'

/**
 * Runs `fn` with the current request's session of `manager`, in a Server
 * Action (or a Route Handler): once `fn` settles, the session is saved and
 * unlocked and its cookie set through Next.js's `cookies()`. Also when `fn`
 * throws, so that `redirect()` after `login()` keeps the login, and no lock
 * outlives the action; the error is then rethrown. A failure to save rejects
 * with the session error (`SessionStoreError` for a store outage).
 *
 * Not in Server Components, where Next.js forbids setting cookies: read there
 * with {@link readSession}.
 *
 * @throws {SessionUsageError} when called where Next.js cannot set cookies.
 * @example
 * ```ts
 * 'use server'
 * export async function increment(): Promise<number> {
 *   return withSession(sessions, async (session) => {
 *     await using s = await session.lock()
 *     s.set('n', (s.get('n') ?? 0) + 1)
 *     return s.get('n') ?? 0
 *   })
 * }
 * ```
 */
export async function withSession<S extends AnySessions, R>(
  manager: S,
  fn: (session: ReturnType<S['open']>) => R | Promise<R>,
): Promise<Awaited<R>> {
  const web = openSessions(await (await nextHeaders()).headers(), manager)
  const settled = await runThenFinish(web, () => fn(web.get(manager) as ReturnType<S['open']>))
  try {
    await setCookies(settled.cookies)
  } catch (error) {
    throw new SessionUsageError(
      'withSession() could not set the session cookie: Next.js sets cookies only in Server Actions and Route Handlers. In a Server Component, read with readSession().',
      { cause: error },
    )
  }
  if (settled.threw) throw settled.error
  return settled.value
}
