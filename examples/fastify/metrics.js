// Prometheus metrics from latchkey's diagnostics channels (docs/observability.md), with prom-client:
// how long requests waited for a session lock, how many timed out, how long store calls took.
import { subscribe } from 'node:diagnostics_channel'
import { DIAGNOSTICS_CHANNELS } from 'latchkey'
import { Counter, Histogram, Registry } from 'prom-client'

export const registry = new Registry()

const lockWait = new Histogram({
  name: 'latchkey_lock_wait_seconds',
  help: 'Time from asking for a session lock to holding it',
  labelNames: ['manager'],
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  registers: [registry],
})
const lockTimeouts = new Counter({
  name: 'latchkey_lock_timeouts_total',
  help: 'Session locks not had within lock.timeout (each answered 503)',
  labelNames: ['manager'],
  registers: [registry],
})
const storeDuration = new Histogram({
  name: 'latchkey_store_duration_seconds',
  help: 'Duration of one store call',
  labelNames: ['store', 'operation', 'outcome'],
  buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  registers: [registry],
})

subscribe(DIAGNOSTICS_CHANNELS.lockAcquired, ({ manager, waitMs }) => {
  lockWait.observe({ manager }, waitMs / 1000)
})
subscribe(DIAGNOSTICS_CHANNELS.lockTimeout, ({ manager }) => lockTimeouts.inc({ manager }))
subscribe(DIAGNOSTICS_CHANNELS.storeCommand, ({ store, operation, durationMs, error }) => {
  const outcome = error === undefined ? 'ok' : 'error'
  storeDuration.observe({ store, operation, outcome }, durationMs / 1000)
})
