import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { Attributes, Meter, Tracer } from '@opentelemetry/api'
import {
  DIAGNOSTICS_CHANNELS,
  type LockAcquiredMessage,
  type LockLostMessage,
  type LockReleasedMessage,
  type LockTimeoutMessage,
  type StoreCommandMessage,
} from '../core/diagnostics.js'
import { messageOf } from '../core/errors.js'

/** Options of {@link instrumentLatchkey}: what to report to. Either may be left out. */
export interface LatchkeyInstrumentationOptions {
  /**
   * Makes a span for each lock wait and each store call, a child of the span
   * active where the request's code runs (the request's span, with the usual
   * HTTP instrumentation).
   * @example `trace.getTracer('latchkey')`
   */
  tracer?: Tracer
  /**
   * Records the lock and store metrics (docs/observability.md lists them).
   * @example `metrics.getMeter('latchkey')`
   */
  meter?: Meter
}

/** A running instrumentation; `disable()` unsubscribes it from latchkey's channels. */
export interface LatchkeyInstrumentation {
  disable(): void
}

// SpanKind.CLIENT and SpanStatusCode.ERROR of @opentelemetry/api, whose values are its stable API:
// this entry imports only its types, so that it loads without the package.
const CLIENT = 2
const ERROR = 2

/** Now, in milliseconds since the epoch with sub-millisecond precision, as OpenTelemetry takes it. */
function now(): number {
  return performance.timeOrigin + performance.now()
}

/**
 * Reports latchkey's diagnostics channels to OpenTelemetry: spans for lock
 * waits and store calls, and metrics for lock waits, lock timeouts, lost
 * locks, locks held, store latency and store errors, and session events.
 * Costs nothing until called; call it once at start-up.
 *
 * @example
 * ```ts
 * import { metrics, trace } from '@opentelemetry/api'
 * import { instrumentLatchkey } from 'latchkey/otel'
 *
 * instrumentLatchkey({ tracer: trace.getTracer('latchkey'), meter: metrics.getMeter('latchkey') })
 * ```
 */
export function instrumentLatchkey(
  options: LatchkeyInstrumentationOptions = {},
): LatchkeyInstrumentation {
  const { tracer, meter } = options
  const lockWait = meter?.createHistogram('latchkey.lock.wait.duration', {
    description: 'Time from asking for a session lock to holding it',
    unit: 's',
  })
  const lockTimeouts = meter?.createCounter('latchkey.lock.timeouts', {
    description: 'Session locks not had within lock.timeout (each answered 503)',
  })
  const locksLost = meter?.createCounter('latchkey.lock.lost', {
    description: 'Saves refused because another holder took the expired lease',
  })
  const locksHeld = meter?.createUpDownCounter('latchkey.lock.active', {
    description: 'Session locks held by this process',
  })
  const storeDuration = meter?.createHistogram('latchkey.store.duration', {
    description: 'Duration of one store call, primary or mirror',
    unit: 's',
  })
  const storeErrors = meter?.createCounter('latchkey.store.errors', {
    description: 'Store calls that failed',
  })
  const sessionEvents = meter?.createCounter('latchkey.session.events', {
    description: 'Sessions created, rotated, destroyed; logins, logouts, revocations',
  })

  /** A span that began `durationMs` ago and ends now, failed with `failure` when given. */
  function pastSpan(
    name: string,
    durationMs: number,
    attributes: Attributes,
    { client = false, failure }: { client?: boolean; failure?: string } = {},
  ): void {
    const end = now()
    const span = (tracer as Tracer).startSpan(name, {
      startTime: end - durationMs,
      attributes,
      ...(client ? { kind: CLIENT } : {}),
    })
    if (failure !== undefined) span.setStatus({ code: ERROR, message: failure })
    span.end(end)
  }

  const handlers: Record<string, (message: unknown) => void> = {
    [DIAGNOSTICS_CHANNELS.lockAcquired]: (message) => {
      const { manager, waitMs } = message as LockAcquiredMessage
      lockWait?.record(waitMs / 1000, { 'latchkey.manager': manager })
      locksHeld?.add(1, { 'latchkey.manager': manager })
      if (tracer) pastSpan('latchkey lock wait', waitMs, { 'latchkey.manager': manager })
    },
    [DIAGNOSTICS_CHANNELS.lockTimeout]: (message) => {
      const { manager, waitMs } = message as LockTimeoutMessage
      lockWait?.record(waitMs / 1000, { 'latchkey.manager': manager, 'error.type': 'timeout' })
      lockTimeouts?.add(1, { 'latchkey.manager': manager })
      if (tracer)
        pastSpan(
          'latchkey lock wait',
          waitMs,
          { 'latchkey.manager': manager },
          {
            failure: 'lock timeout',
          },
        )
    },
    [DIAGNOSTICS_CHANNELS.lockReleased]: (message) => {
      const { manager } = message as LockReleasedMessage
      locksHeld?.add(-1, { 'latchkey.manager': manager })
    },
    [DIAGNOSTICS_CHANNELS.lockLost]: (message) => {
      locksLost?.add(1, { 'latchkey.manager': (message as LockLostMessage).manager })
    },
    [DIAGNOSTICS_CHANNELS.storeCommand]: (message) => {
      const { manager, store, operation, mirror, durationMs, error } =
        message as StoreCommandMessage
      const attributes: Attributes = {
        'latchkey.manager': manager,
        'latchkey.store': store,
        'latchkey.store.operation': operation,
        'latchkey.store.mirror': mirror,
      }
      const failed = error !== undefined
      storeDuration?.record(
        durationMs / 1000,
        failed ? { ...attributes, 'error.type': 'store' } : attributes,
      )
      if (failed) storeErrors?.add(1, attributes)
      if (tracer)
        pastSpan(`latchkey ${store} ${operation}`, durationMs, attributes, {
          client: true,
          ...(failed ? { failure: messageOf(error) } : {}),
        })
    },
  }
  for (const [event, channel] of [
    ['created', DIAGNOSTICS_CHANNELS.sessionCreated],
    ['rotated', DIAGNOSTICS_CHANNELS.sessionRotated],
    ['destroyed', DIAGNOSTICS_CHANNELS.sessionDestroyed],
    ['login', DIAGNOSTICS_CHANNELS.login],
    ['logout', DIAGNOSTICS_CHANNELS.logout],
    ['revoke', DIAGNOSTICS_CHANNELS.revoke],
  ] as const) {
    handlers[channel] = (message) => {
      sessionEvents?.add(1, {
        'latchkey.manager': (message as { manager: string }).manager,
        'latchkey.event': event,
      })
    }
  }
  for (const [channel, handler] of Object.entries(handlers)) subscribe(channel, handler)
  return {
    disable() {
      for (const [channel, handler] of Object.entries(handlers)) unsubscribe(channel, handler)
    },
  }
}
