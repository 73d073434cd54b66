// The "fire 50 parallel requests" panel's routes: the same read-modify-write, once under the
// session lock and once without it. The page's script (burst-client.js) fires the bursts.
import { setTimeout as sleep } from 'node:timers/promises'
import { Sessions } from 'latchkey'

/** Requests in one burst. */
export const BURST_SIZE = 50

/**
 * How long each handler waits between reading the counter and writing it back, as a
 * handler that awaits a database does. The browser sends at most 6 requests at a time
 * to one host over HTTP/1.1; with this wait all 6 read before any of them writes, so
 * the unlocked route loses about 5 of every 6 updates even on a loaded machine.
 */
export const YIELD_MS = 30

/**
 * The manager of the deliberately unlocked route: its own request property and cookie.
 * latchkey warns (LATCHKEY_UNLOCKED_ACCESS) when a session is written outside the lock,
 * because that write can lose a concurrent request's update. Losing updates is what
 * this route is here to show, so its manager turns the warning off; the demo's other
 * routes keep it on and print nothing, because they write only under the lock.
 */
export function racySessions(store) {
  return new Sessions({
    store,
    name: 'racySession',
    cookie: { name: 'RACY_SESSION' },
    warnLock: false,
  })
}

export function burstRoutes(app) {
  // Both counters to 0 before a burst; this also gives the browser both cookies, so the
  // 50 requests of a burst share one session instead of making 50 new ones.
  app.post('/burst/reset', async (req) => {
    await req.session.withLock((s) => s.set('burst', 0))
    await req.racySession.withLock((s) => s.set('burst', 0))
    return { locked: 0, unlocked: 0 }
  })

  app.post('/burst/locked', async (req) =>
    req.session.withLock(async (s) => {
      const n = s.get('burst') ?? 0
      await sleep(YIELD_MS)
      s.set('burst', n + 1)
      return { n: n + 1 }
    }),
  )

  // The same work without the lock: every request that reads before another's write
  // lands writes the same number, and all but one of those increments are lost.
  app.post('/burst/unlocked', async (req) => {
    const n = (await req.racySession.get('burst')) ?? 0
    await sleep(YIELD_MS)
    await req.racySession.set('burst', n + 1)
    return { n: n + 1 }
  })

  app.get('/burst/counts', async (req) => ({
    size: BURST_SIZE,
    locked: (await req.session.get('burst')) ?? 0,
    unlocked: (await req.racySession.get('burst')) ?? 0,
  }))
}
