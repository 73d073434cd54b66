import { SessionUsageError } from '../../core/errors.js'
import { requestInfo } from '../fetch/web-request.js'
import type { AnySessions } from '../shared.js'
import { nextHeaders } from './next-headers.js'

/** What can be read of a session: its data, and for an auth session its user. */
type ReadMember =
  | 'id'
  | 'isNew'
  | 'get'
  | 'has'
  | 'keys'
  | 'all'
  | 'currentUser'
  | 'currentUserId'
  | 'isLoggedIn'

/**
 * A session that can only be read: what {@link readSession} gives a Server
 * Component. For an `AuthSession` it has `currentUser()`, `currentUserId()`
 * and `isLoggedIn()` too.
 */
export type ReadonlySession<S> = Pick<S, Extract<keyof S, ReadMember>>

const READS = ['get', 'has', 'keys', 'all', 'currentUser', 'currentUserId', 'isLoggedIn'] as const
const WRITES = [
  'set',
  'delete',
  'clear',
  'lock',
  'withLock',
  'regenerate',
  'destroy',
  'touch',
  'commit',
  'finish',
  'login',
  'logout',
] as const

/** One view per manager and request: a layout and its page read the store once. */
const views = new WeakMap<object, Map<AnySessions, object>>()

/**
 * The current request's session of `manager`, read-only, for Server
 * Components (and anywhere else that only reads). Next.js forbids setting
 * cookies while rendering, so nothing that could change the session is
 * there: writing is a type error, and from JavaScript a `SessionUsageError`
 * (`LATCHKEY_USAGE`) that names the way out. Reading does not extend the
 * session's expiry either; requests that write it do.
 *
 * @example
 * ```ts
 * export default async function Page() {
 *   const session = await readSession(sessions)
 *   return <p>Visits: {(await session.get('n')) ?? 0}</p>
 * }
 * ```
 */
export async function readSession<S extends AnySessions>(
  manager: S,
): Promise<ReadonlySession<ReturnType<S['open']>>> {
  const headers = await (await nextHeaders()).headers()
  let byManager = views.get(headers)
  if (!byManager) {
    byManager = new Map()
    views.set(headers, byManager)
  }
  let view = byManager.get(manager)
  if (!view) {
    view = readonlyView(manager.open(requestInfo(headers)))
    byManager.set(manager, view)
  }
  return view as ReadonlySession<ReturnType<S['open']>>
}

function readonlyView(session: object): object {
  const source = session as Record<string, unknown> & { id?: string; isNew: boolean }
  const view: Record<string, unknown> = {
    get id() {
      return source.id
    },
    get isNew() {
      return source.isNew
    },
  }
  for (const name of READS) {
    const method = source[name]
    if (typeof method === 'function') view[name] = method.bind(session)
  }
  for (const name of WRITES) {
    if (typeof source[name] !== 'function') continue
    view[name] = () => {
      throw new SessionUsageError(
        `session.${name}() on a read-only session: Next.js forbids setting cookies in Server Components, so readSession() only reads. Change the session in a Server Action (withSession) or a Route Handler (withSessions).`,
      )
    }
  }
  return Object.freeze(view)
}
