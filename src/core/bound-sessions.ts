import type { Session } from './session.js'

/** Opens (or finds) the session of one manager for one request; undefined for a manager not registered. */
export type SessionOpener = (manager: object) => Session | undefined

/**
 * Sessions of request objects that carry no properties of latchkey's: a Web
 * `Request` belongs to the runtime, so its sessions are found through it here
 * instead (`sessions.of(request)`). Weak: a finished request takes its entry
 * with it. One map per process, not per copy of this module: a bundler can
 * load latchkey twice (Next.js bundles `proxy.ts` apart from the app), and a
 * manager made by one copy must find the sessions bound by the other.
 */
const KEY = Symbol.for('latchkey.bound-sessions')
const shared = globalThis as { [KEY]?: WeakMap<object, SessionOpener> }
shared[KEY] ??= new WeakMap()
const bound = shared[KEY]

/** Makes `sessions.of(request)` find the sessions `open` gives. */
export function bindSessions(request: object, open: SessionOpener): void {
  bound.set(request, open)
}

/** The session of `manager` bound to `request`, if any. */
export function boundSession(request: object, manager: object): Session | undefined {
  return bound.get(request)?.(manager)
}
