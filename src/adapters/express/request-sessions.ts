import type { IncomingMessage } from 'node:http'
import type { RequestInfo, Session } from '../../core/session.js'
import { isCookieSealer } from '../../core/store.js'
import { type AnySessions, finishSessions } from '../shared.js'

/**
 * The sessions of one request, each opened when the app first reads its
 * request property: a request that never uses its session costs no session.
 */
export class RequestSessions {
  readonly #request: RequestInfo
  #managers: readonly AnySessions[]
  /** By manager index; made at the first session opened. */
  #sessions: Array<Session | undefined> | undefined
  readonly #opened: Session[] = []

  constructor(request: RequestInfo, managers: readonly AnySessions[]) {
    this.#request = request
    this.#managers = managers
  }

  /** Adds the managers of another `latchkey()` middleware on the same request. */
  add(managers: readonly AnySessions[]): void {
    this.#managers = [...this.#managers, ...managers]
  }

  /** The session of the manager called `name`, opened now if not yet; undefined for no such manager. */
  get(name: string): Session | undefined {
    const managers = this.#managers
    for (let i = 0; i < managers.length; i++) {
      if ((managers[i] as AnySessions).name === name) return this.#open(i)
    }
    return undefined
  }

  /**
   * Finishes the sessions the request used (see `finishSessions`). A cookie
   * sealed under an old key is re-issued, used or not, so a sealing store's
   * session is opened here when the request sent cookies.
   */
  finish(): string[] | Promise<string[]> {
    if (this.#request.cookie !== undefined) {
      const managers = this.#managers
      for (let i = 0; i < managers.length; i++) {
        if (this.#sessions?.[i] === undefined && isCookieSealer((managers[i] as AnySessions).store))
          this.#open(i)
      }
    }
    return finishSessions(this.#opened)
  }

  #open(index: number): Session {
    this.#sessions ??= []
    const sessions = this.#sessions
    let session = sessions[index]
    if (!session) {
      session = (this.#managers[index] as AnySessions).open(this.#request) as Session
      sessions[index] = session
      this.#opened.push(session)
    }
    return session
  }
}

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

/**
 * Defines the request properties as getters on the request itself, never on
 * a prototype that other requests share: a session is looked up (and opened)
 * only when the app reads its property.
 */
function defineProperties(req: IncomingMessage, managers: readonly AnySessions[]): void {
  for (const { name } of managers) {
    // Another copy of latchkey in the process may have defined the property:
    // its requests keep finding their sessions through its getter.
    const previous = Object.getOwnPropertyDescriptor(req, name)?.get
    const fallback = previous && !getters.has(previous) ? previous : undefined
    const get = function (this: IncomingMessage): unknown {
      const sessions = ofRequest.get(this)
      return sessions ? sessions.get(name) : fallback?.call(this)
    }
    getters.add(get)
    Object.defineProperty(req, name, {
      configurable: true,
      enumerable: true,
      get,
      // Another library (or the app) assigning the property gets a plain one.
      set(this: IncomingMessage, value: unknown) {
        Object.defineProperty(this, name, {
          configurable: true,
          enumerable: true,
          writable: true,
          value,
        })
      },
    })
  }
}

/** The getters this module defined (not to be chained to as another copy's). */
const getters = new WeakSet<() => unknown>()
