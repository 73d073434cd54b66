import { createSessions, settledCounter } from './client.js'
import { measure } from './load.js'

/**
 * @typedef {object} Scenario
 * @property {string} key
 * @property {string} title
 * @property {(ctx: ScenarioContext) => Promise<import('./load.js').Measurement & { lostUpdates?: number }>} run
 */

/**
 * @typedef {object} ScenarioContext
 * @property {string} url                  the server's base URL
 * @property {string[]} pool               Cookie headers of the spread sessions
 * @property {string} hot                  Cookie header of the hot session
 * @property {import('./options.js').BenchOptions} options
 */

/**
 * The scenarios, in the order they run against each server. Every one starts
 * with a discarded warm-up on the same route.
 * @type {Scenario[]}
 */
export const SCENARIOS = [
  {
    key: 'inc',
    title: 'GET /inc, requests rotating over the session pool',
    run: async ({ url, pool, options }) => {
      await warmUp(url, '/inc', pool, options)
      return measure({
        ...load(options),
        url,
        path: '/inc',
        cookies: pool,
        duration: options.duration,
      })
    },
  },
  {
    key: 'hot',
    title: 'GET /inc, every connection on one session (lost updates counted)',
    run: async ({ url, hot, options }) => {
      const warm = await warmUp(url, '/inc', [hot], options)
      const before = await settledCounter(url, hot)
      // A fixed number of requests, so every increment the server made has its
      // response counted (a timed run abandons the requests in flight at the end).
      const rate = warm?.rps ?? 1000
      const amount = Math.max(options.connections * 20, Math.round(rate * options.duration))
      const run = await measure({ ...load(options), url, path: '/inc', cookies: [hot], amount })
      const after = await settledCounter(url, hot)
      return { ...run, lostUpdates: run.ok - (after - before) }
    },
  },
  {
    key: 'read',
    title: 'GET /read, requests rotating over the session pool',
    run: async ({ url, pool, options }) => {
      await warmUp(url, '/read', pool, options)
      return measure({
        ...load(options),
        url,
        path: '/read',
        cookies: pool,
        duration: options.duration,
      })
    },
  },
]

/** Creates the sessions the scenarios use. */
export async function prepareSessions(url, options) {
  const [hot = ''] = await createSessions(url, 1)
  const pool = await createSessions(url, options.sessions)
  return { hot, pool }
}

function load(options) {
  return { connections: options.connections, pipelining: options.pipelining }
}

async function warmUp(url, path, cookies, options) {
  if (options.warmup === 0) return undefined
  return measure({ ...load(options), url, path, cookies, duration: options.warmup })
}
