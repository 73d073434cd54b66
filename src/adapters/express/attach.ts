import type { IncomingMessage } from 'node:http'
import { type AnySessions, defineLazyProperty, RequestSessions } from '../request-sessions.js'

const ofRequest = new WeakMap<IncomingMessage, RequestSessions>()

/**
 * Attaches the sessions of one `latchkey()` middleware to its requests.
 */
export class SessionAttacher {
  readonly #managers: readonly AnySessions[]

  constructor(managers: readonly AnySessions[]) {
    this.#managers = managers
  }

  /**
   * Gives the request its sessions under each manager's name. Returns the
   * request's `RequestSessions`, or undefined when an earlier `latchkey()`
   * middleware already attached one (the managers are then added to it).
   */
  attach(req: IncomingMessage): RequestSessions | undefined {
    const managers = this.#managers
    defineProperties(req, managers)
    const existing = ofRequest.get(req)
    if (existing) {
      existing.add(managers)
      return undefined
    }
    const sessions = new RequestSessions(
      { cookie: req.headers.cookie, userAgent: req.headers['user-agent'] },
      managers,
    )
    ofRequest.set(req, sessions)
    return sessions
  }
}

/** Defines the request properties; a session is looked up (and opened) when the app reads one. */
function defineProperties(req: IncomingMessage, managers: readonly AnySessions[]): void {
  for (const manager of managers) {
    const { name } = manager
    // Another copy of latchkey in the process may have defined the property:
    // its requests keep finding their sessions through its getter.
    const previous = Object.getOwnPropertyDescriptor(req, name)?.get
    const fallback = previous && !getters.has(previous) ? previous : undefined
    const get = (): unknown => {
      const sessions = ofRequest.get(req)
      return sessions ? sessions.get(manager) : fallback?.call(req)
    }
    getters.add(get)
    defineLazyProperty(req, name, get)
  }
}

/** The getters this module defined (not to be chained to as another copy's). */
const getters = new WeakSet<() => unknown>()
