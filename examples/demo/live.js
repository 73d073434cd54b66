// The live panel's numbers: what latchkey publishes on node:diagnostics_channel, summed per
// second over the last minute, and served as JSON at /live for the page's plot (live-client.js).
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { DIAGNOSTICS_CHANNELS } from 'latchkey'

/** Seconds the panel shows. */
export const LIVE_SECONDS = 60

/** One second of events. */
function emptySecond(t) {
  return {
    t,
    locks: 0,
    queued: 0,
    timeouts: 0,
    lockWaitTotalMs: 0,
    lockWaitMaxMs: 0,
    storeCalls: 0,
    storeErrors: 0,
    storeTotalMs: 0,
    storeMaxMs: 0,
  }
}

/**
 * Subscribes to latchkey's lock and store channels and keeps one summary per second, for
 * the last {@link LIVE_SECONDS} seconds. `stop()` unsubscribes.
 */
export function liveStats(now = () => Math.floor(Date.now() / 1000)) {
  /** Ring of per-second summaries, indexed by the second modulo its length. */
  const ring = Array.from({ length: LIVE_SECONDS }, () => emptySecond(-1))
  const current = () => {
    const t = now()
    const slot = ring[t % LIVE_SECONDS]
    if (slot.t === t) return slot
    const fresh = emptySecond(t)
    ring[t % LIVE_SECONDS] = fresh
    return fresh
  }

  const handlers = {
    [DIAGNOSTICS_CHANNELS.lockWait]: () => {
      current().queued++
    },
    [DIAGNOSTICS_CHANNELS.lockAcquired]: ({ waitMs }) => {
      const s = current()
      s.locks++
      s.lockWaitTotalMs += waitMs
      s.lockWaitMaxMs = Math.max(s.lockWaitMaxMs, waitMs)
    },
    [DIAGNOSTICS_CHANNELS.lockTimeout]: () => {
      current().timeouts++
    },
    [DIAGNOSTICS_CHANNELS.storeCommand]: ({ durationMs, error }) => {
      const s = current()
      s.storeCalls++
      if (error) s.storeErrors++
      s.storeTotalMs += durationMs
      s.storeMaxMs = Math.max(s.storeMaxMs, durationMs)
    },
  }
  for (const [name, handler] of Object.entries(handlers)) subscribe(name, handler)

  return {
    /** The last {@link LIVE_SECONDS} seconds, oldest first, with zeros for quiet seconds. */
    seconds() {
      const end = now()
      return Array.from({ length: LIVE_SECONDS }, (_, i) => {
        const t = end - LIVE_SECONDS + 1 + i
        const s = ring[t % LIVE_SECONDS]
        const { lockWaitTotalMs, storeTotalMs, ...counts } = s.t === t ? s : emptySecond(t)
        return {
          ...counts,
          lockWaitMeanMs: counts.locks ? lockWaitTotalMs / counts.locks : 0,
          storeMeanMs: counts.storeCalls ? storeTotalMs / counts.storeCalls : 0,
        }
      })
    },
    stop() {
      for (const [name, handler] of Object.entries(handlers)) unsubscribe(name, handler)
    },
  }
}

/** `GET /live`: the summaries as JSON. It reads no session, so polling it adds no events. */
export function liveRoutes(app, stats) {
  app.get('/live', async (_req, reply) => {
    reply.header('cache-control', 'no-store')
    return { seconds: stats.seconds() }
  })
  app.addHook('onClose', async () => stats.stop())
}
