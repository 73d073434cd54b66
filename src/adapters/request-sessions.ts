import type { RequestInfo, Session } from '../core/session.js'
import type { Sessions } from '../core/sessions.js'

/** A manager as adapters see it, whatever its data type. */
// biome-ignore lint/suspicious/noExplicitAny: adapters accept managers of any data type
export type AnySessions = Sessions<any>

/**
 * The sessions of one request, the lifecycle every adapter shares: a session
 * is opened (no I/O) when the app first asks for it, so a request that never
 * uses its session costs none; `finish()` then saves and unlocks the ones
 * opened and gives their `Set-Cookie` values.
 *
 * @example
 * ```ts
 * const sessions = new RequestSessions({ cookie: req.headers.cookie }, managers)
 * req.session = sessions.get(managers[0])
 * // ... the handler runs ...
 * res.setHeader('set-cookie', await sessions.finish())
 * ```
 */
export class RequestSessions {
  readonly #request: RequestInfo
  readonly #managers: AnySessions[]
  /** By manager index; made at the first session opened. */
  #sessions: Array<Session | undefined> | undefined
  /** Opened and not yet finished, in the order they were opened. */
  #unfinished: Session[] = []

  /** @param request the request as sessions see it; `onPending` is handed to every session */
  constructor(request: RequestInfo, managers: readonly AnySessions[] = []) {
    this.#request = request
    this.#managers = [...managers]
  }

  /** Adds the managers of another registration of the adapter on the same request. */
  add(managers: readonly AnySessions[]): void {
    for (const manager of managers) this.#indexOf(manager)
  }

  /** The request's session of `manager`, opened now if it was not yet. */
  get(manager: AnySessions): Session {
    const index = this.#indexOf(manager)
    this.#sessions ??= []
    let session = this.#sessions[index]
    if (!session) {
      session = manager.open(this.#request) as Session
      this.#sessions[index] = session
      this.#unfinished.push(session)
    }
    return session
  }

  /**
   * Finishes the sessions opened and not finished yet, after opening those a
   * manager must finish unused (`Sessions.mustOpen`), and returns their
   * `Set-Cookie` values: synchronously when none needs I/O, else a promise.
   * All are finished even when one fails, so no lock stays held; the first
   * failure is then thrown (rejected). A later call finishes only sessions
   * opened since.
   */
  finish(): string[] | Promise<string[]> {
    const managers = this.#managers
    for (let i = 0; i < managers.length; i++) {
      const manager = managers[i] as AnySessions
      if (this.#sessions?.[i] === undefined && manager.mustOpen(this.#request)) this.get(manager)
    }
    const sessions = this.#unfinished
    this.#unfinished = []
    if (sessions.length === 0) return []
    if (sessions.length === 1) return (sessions[0] as Session).finish()
    const results = sessions.map((session) => session.finish())
    if (results.every((result) => Array.isArray(result))) return (results as string[][]).flat()
    return Promise.allSettled(results).then((settled) => {
      const cookies: string[] = []
      for (const outcome of settled) {
        if (outcome.status === 'rejected') throw outcome.reason
        cookies.push(...outcome.value)
      }
      return cookies
    })
  }

  /** Whether `manager` is one of this request's managers. */
  has(manager: object): boolean {
    return this.#managers.includes(manager as AnySessions)
  }

  #indexOf(manager: AnySessions): number {
    let index = this.#managers.indexOf(manager)
    if (index < 0) index = this.#managers.push(manager) - 1
    return index
  }
}

/**
 * Defines `target[name]` as a getter on that one object, never on a prototype
 * that other requests share, so a session is opened only when the app reads
 * its property. Another library (or the app) assigning the property gets a
 * plain one.
 */
export function defineLazyProperty(target: object, name: string, get: () => unknown): void {
  Object.defineProperty(target, name, {
    configurable: true,
    enumerable: true,
    get,
    set(value: unknown) {
      Object.defineProperty(target, name, {
        configurable: true,
        enumerable: true,
        writable: true,
        value,
      })
    },
  })
}
