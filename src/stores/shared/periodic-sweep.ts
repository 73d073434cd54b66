import { emitWarning } from '../../core/emit-warning.js'
import { messageOf, SessionConfigError } from '../../core/errors.js'
import { MAX_TIMER_SECONDS, seconds } from '../../core/seconds.js'

/** How a SQL store sweeps its expired rows. */
export interface SweepOptions {
  /**
   * Seconds between sweeps of expired rows; `0` turns the periodic sweep off
   * (run `store.sweep()` yourself then). The timer does not keep the process
   * alive and stops on `close()`.
   * @default 60
   */
  sweepInterval?: number
  /**
   * Rows deleted per sweep statement; a sweep repeats batches until none are left,
   * so no statement holds many row locks for long.
   * @default 1000
   */
  sweepBatchSize?: number
  /**
   * Called when a periodic sweep fails (the database is down, say). Sweeps are
   * retried at the next interval.
   * @default emits a Node warning with code `LATCHKEY_SWEEP_FAILED`
   */
  onSweepError?: (error: unknown) => void
}

/**
 * Deletes expired rows batch after batch, now (`sweep()`) and every
 * `sweepInterval` seconds on an unref()d timer, one sweep at a time.
 */
export class PeriodicSweep {
  readonly #batchSize: number
  readonly #deleteBatch: (limit: number) => Promise<number>
  readonly #onError: (error: unknown) => void
  #timer: NodeJS.Timeout | undefined
  /** The periodic sweep running now, if any. */
  #sweeping: Promise<void> | undefined

  /** @param deleteBatch deletes at most `limit` expired rows; resolves to how many it deleted */
  constructor(options: SweepOptions, deleteBatch: (limit: number) => Promise<number>) {
    const interval = seconds(options.sweepInterval ?? 60, 'sweepInterval', {
      min: 0,
      max: MAX_TIMER_SECONDS,
    })
    const batchSize = options.sweepBatchSize ?? 1000
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new SessionConfigError(
        `sweepBatchSize must be a positive integer, got ${String(batchSize)}`,
      )
    this.#batchSize = batchSize
    this.#deleteBatch = deleteBatch
    this.#onError =
      options.onSweepError ??
      ((error) =>
        emitWarning(
          `latchkey: sweeping expired sessions failed: ${messageOf(error)}`,
          'LATCHKEY_SWEEP_FAILED',
        ))
    if (interval > 0) {
      this.#timer = setInterval(() => this.#periodic(), interval * 1000)
      this.#timer.unref?.()
    }
  }

  /**
   * Deletes every expired row now, in batches; resolves to how many.
   * `onProgress` gets the running total after each batch.
   */
  async sweep(onProgress?: (swept: number) => void): Promise<number> {
    let total = 0
    for (;;) {
      const swept = await this.#deleteBatch(this.#batchSize)
      total += swept
      onProgress?.(total)
      if (swept < this.#batchSize) return total
    }
  }

  /** Stops the timer and waits for a sweep under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#sweeping
  }

  #periodic(): void {
    this.#sweeping ??= this.sweep()
      .then(
        () => undefined,
        (error: unknown) => this.#onError(error),
      )
      .finally(() => {
        this.#sweeping = undefined
      })
  }
}
