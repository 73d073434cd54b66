import { SessionConfigError, type SessionError } from './errors.js'

/**
 * The longest duration any latchkey option accepts: 100 years, in seconds.
 * Every target stays valid with it for millennia to come: a cookie's
 * `Expires` (at most the year 9999), PostgreSQL timestamps and intervals,
 * Redis expiries (64-bit milliseconds), JavaScript dates.
 */
export const MAX_SECONDS = 3_155_760_000

/**
 * The longest duration of an option that runs as a timer (lock waits, lock
 * leases, mirror and command timeouts, sweep intervals): Node's timer limit,
 * 2^31 - 1 milliseconds (about 24.8 days). A longer timer fires at once.
 */
export const MAX_TIMER_SECONDS = 2_147_483

/** What {@link seconds} accepts besides a finite number. */
export interface SecondsRange {
  /** Smallest value accepted (inclusive). @default any value above 0 */
  min?: number
  /** @default MAX_SECONDS */
  max?: number
  /** Whole seconds only. @default false */
  integer?: boolean
}

/**
 * Returns `value` when it is a number of seconds in range; throws otherwise,
 * naming `option`. Every duration option of latchkey and its stores goes
 * through it, so they all share one rule and one maximum.
 *
 * @param error the error class thrown: `SessionConfigError` for a constructor
 *   option, `SessionUsageError` for a call argument.
 * @example
 * ```ts
 * const ttl = seconds(options.ttl ?? 2_592_000, 'ttl', { min: 1 })
 * ```
 */
export function seconds(
  value: unknown,
  option: string,
  { min, max = MAX_SECONDS, integer = false }: SecondsRange = {},
  error: new (message: string) => SessionError = SessionConfigError,
): number {
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (min === undefined ? value > 0 : value >= min) &&
    value <= max &&
    (!integer || Number.isInteger(value))
  )
    return value
  const kind = integer ? 'a whole number of seconds' : 'a number of seconds'
  const from = min === undefined ? 'above 0' : `from ${min}`
  throw new error(`${option} must be ${kind} ${from} to ${max}, got ${String(value)}`)
}
