/**
 * Sessions for the Next.js App Router (Next 15 and 16, Node.js runtime):
 * `import { withSession, readSession, withSessions } from 'latchkey/next'`.
 *
 * - Server Actions: {@link withSession} runs the action with the session,
 *   then saves, unlocks and sets the cookie through `cookies()`.
 * - Route Handlers, and `proxy.ts` / `middleware.ts`: {@link withSessions}
 *   (the `latchkey/fetch` wrapper), `sessions.of(request)` inside; guard
 *   them with {@link loginRequired}.
 * - Server Components: {@link readSession}, read-only, since Next.js forbids
 *   setting cookies while rendering; {@link requireLogin} for the user or a
 *   redirect.
 *
 * Name latchkey in `serverExternalPackages` of `next.config`, so that every
 * route of a process shares one latchkey, its MemoryStore and its locks.
 * @module
 */
export {
  type FetchHandler,
  type LoginRequiredOptions,
  loginRequired,
  withSessions,
} from '../fetch/index.js'
export { type ReadonlySession, readSession } from './read-session.js'
export { type RequireLoginOptions, requireLogin } from './require-login.js'
export { withSession } from './with-session.js'
