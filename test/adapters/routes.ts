import { setTimeout as sleep } from 'node:timers/promises'
import type { AuthSession, AuthSessions, GuardOptions, Session, Sessions } from '../../src/index.js'

/** The session data of the matrix apps. */
export type AppData = { n: number; via: string; [key: string]: string | number }
export type AppSession = Session<AppData>
/** The user the matrix apps log in. */
export type AppUser = { id: string; name: string }
export type AppAuth = AuthSession<Record<string, never>, AppUser>

/** The request's sessions, as each app hands them to the shared routes. */
export interface AppRequest {
  session: AppSession
  auth: AppAuth
}

/**
 * The JSON routes every matrix app serves, written once: each framework's app
 * only maps them to its own routing and calls them with its request's session.
 * The routes that exercise a framework's own way of responding (redirect,
 * stream, raw end, an app cookie) are in each app.
 */
export const jsonRoutes: Record<
  string,
  (request: AppRequest, query: URLSearchParams) => Promise<unknown>
> = {
  '/inc': async ({ session }) => {
    await using s = await session.lock()
    const n = (s.get('n') ?? 0) + 1
    s.set('n', n)
    return { n }
  },
  '/inc-unlocked': async ({ session }) => {
    const n = ((await session.get('n')) ?? 0) + 1
    await session.set('n', n)
    return { n }
  },
  '/read': async ({ session }) => ({
    n: (await session.get('n')) ?? null,
    via: (await session.get('via')) ?? null,
    id: session.id ?? null,
  }),
  '/set': async ({ session }, query) => {
    for (const [key, value] of query) await session.set(key, value)
    return { ok: true }
  },
  '/regenerate': async ({ session }) => {
    await session.regenerate()
    return { ok: true }
  },
  '/destroy': async ({ session }) => {
    await session.destroy()
    return { ok: true }
  },
  '/throw-in-lock': async ({ session }) => {
    await using s = await session.lock()
    s.set('n', (s.get('n') ?? 0) + 1)
    throw new Error('thrown while holding the lock')
  },
  '/slow-lock': async ({ session }, query) => {
    await using s = await session.lock()
    await sleep(Number(query.get('ms') ?? 500))
    return { n: s.get('n') ?? null }
  },
  '/set-invalid': async ({ session }) => {
    // A function is not JSON: a usage error (500), and nothing is saved.
    await session.set('n', (() => 1) as unknown as number)
    return { ok: true }
  },
  '/hello': async () => ({ hello: 'world' }),
  '/login': async ({ session, auth }, query) => {
    const name = query.get('user') ?? 'ada'
    await auth.login({ id: name, name })
    await session.set('via', 'login')
    return { ok: true }
  },
  '/logout': async ({ auth }) => {
    await auth.logout()
    return { ok: true }
  },
}

/** Routes behind each framework's `loginRequired(auth, options)`; they answer the user. */
export const guardedRoutes: Record<string, GuardOptions> = {
  '/me': {},
  '/account': { redirectTo: '/login' },
}

export const guardedRoute = async ({ auth }: AppRequest) => ({
  user: (await auth.currentUser()) ?? null,
})

/** Written into the session by the routes that answer in a framework's own way. */
export const VIA = { redirect: 'redirect', stream: 'stream', end: 'end', appCookie: 'app-cookie' }

/** The body of /stream, sent in chunks. */
export const STREAM_CHUNKS = ['one,', 'two,', 'three']

/** A Web `Response` streaming {@link STREAM_CHUNKS}, one pull at a time. */
export function streamedResponse(): Response {
  const chunks = [...STREAM_CHUNKS]
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks.shift()
      if (chunk === undefined) controller.close()
      else controller.enqueue(new TextEncoder().encode(chunk))
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/plain' } })
}

/** The cookie an app sets itself on /app-cookie, which the session's must not replace. */
export const APP_COOKIE = 'app=1; Path=/'

/** A running matrix app. */
export interface RunningApp {
  url: string
  close: () => Promise<void>
}

/** One framework of the matrix: starts an app serving every route above on a free port. */
export interface Framework {
  name: string
  start: (
    sessions: Sessions<AppData>,
    auth: AuthSessions<Record<string, never>, AppUser>,
  ) => Promise<RunningApp>
}
