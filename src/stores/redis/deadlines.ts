import { setMaxListeners } from 'node:events'

/** What a command that missed its deadline is rejected with, before the store words it. */
export class DeadlineExceeded extends Error {}

/** The commands started within one window share its timer and its abort signal. */
export interface DeadlineWindow {
  /** Aborted when the window's commands are out of time, so that the client can drop them. */
  readonly signal: AbortSignal
  /** Fails a command still pending when the window expires; removed once it settles. */
  readonly pending: Set<(error: unknown) => void>
}

interface OpenWindow extends DeadlineWindow {
  readonly closesAt: number
}

/**
 * Deadlines for Redis commands without a timer per command: the commands
 * started within one window (a tenth of the timeout, at most 100 ms) share one
 * timer, which fails those still unanswered once the timeout has passed after
 * the window closed. A command thus fails between `timeoutMs` and `timeoutMs`
 * plus one window after it was sent.
 */
export class Deadlines {
  readonly #timeoutMs: number
  readonly #windowMs: number
  #current: OpenWindow | undefined

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
    this.#windowMs = Math.max(1, Math.min(100, Math.floor(timeoutMs / 10)))
  }

  /** The window a command sent now belongs to. */
  window(): DeadlineWindow {
    const now = Date.now()
    const current = this.#current
    if (current !== undefined && now < current.closesAt) return current
    const controller = new AbortController()
    // Every command of the window listens to this one signal (node-redis adds a listener each).
    setMaxListeners(0, controller.signal)
    const opened: OpenWindow = {
      signal: controller.signal,
      pending: new Set(),
      closesAt: now + this.#windowMs,
    }
    this.#current = opened
    setTimeout(() => {
      const error = new DeadlineExceeded()
      for (const fail of [...opened.pending]) fail(error)
      controller.abort(error)
    }, this.#timeoutMs + this.#windowMs).unref()
    return opened
  }
}
