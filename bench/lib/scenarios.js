import { createSessions, settledCounter } from './client.js'
import { measure } from './load.js'

/**
 * What a scenario reports: the load generator's measurement, the server's CPU
 * time per completed request (µs), and for the hot session the lost updates.
 * @typedef {import('./load.js').Measurement & { cpuPerRequest: number, lostUpdates?: number }} Result
 */

/**
 * @typedef {object} ScenarioContext
 * @property {string} url                  the server's base URL
 * @property {() => Promise<number>} cpuMicros  the server's CPU time so far
 * @property {string[]} pool               Cookie headers of the spread sessions
 * @property {string} hot                  Cookie header of the hot session
 * @property {import('./options.js').BenchOptions} options
 */

/**
 * @typedef {object} Scenario
 * @property {string} key
 * @property {string} title
 * @property {(ctx: ScenarioContext) => Promise<Result>} run
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
    run: async (ctx) => {
      await warmUp(ctx, '/inc', ctx.pool)
      return measured(ctx, { path: '/inc', cookies: ctx.pool, duration: ctx.options.duration })
    },
  },
  {
    key: 'hot',
    title: 'GET /inc, every connection on one session (lost updates counted)',
    run: async (ctx) => {
      const warm = await warmUp(ctx, '/inc', [ctx.hot])
      const before = await settledCounter(ctx.url, ctx.hot)
      // A fixed number of requests, so every increment the server made has its
      // response counted (a timed run abandons the requests in flight at the end).
      const rate = warm?.rps ?? 1000
      const { connections, duration } = ctx.options
      const amount = Math.max(connections * 20, Math.round(rate * duration))
      const run = await measured(ctx, { path: '/inc', cookies: [ctx.hot], amount })
      const after = await settledCounter(ctx.url, ctx.hot)
      return { ...run, lostUpdates: run.ok - (after - before) }
    },
  },
  {
    key: 'read',
    title: 'GET /read, requests rotating over the session pool',
    run: async (ctx) => {
      await warmUp(ctx, '/read', ctx.pool)
      return measured(ctx, { path: '/read', cookies: ctx.pool, duration: ctx.options.duration })
    },
  },
]

/** Creates the sessions the scenarios use. */
export async function prepareSessions(url, options) {
  const [hot = ''] = await createSessions(url, 1)
  const pool = await createSessions(url, options.sessions)
  return { hot, pool }
}

/**
 * @param {ScenarioContext} ctx
 * @param {{ path: string, cookies: string[], duration?: number, amount?: number }} run
 * @returns {Promise<Result>}
 */
async function measured(ctx, run) {
  const cpuBefore = await ctx.cpuMicros()
  const result = await measure({ ...run, url: ctx.url, connections: ctx.options.connections })
  const cpu = (await ctx.cpuMicros()) - cpuBefore
  return { ...result, cpuPerRequest: result.requests > 0 ? cpu / result.requests : 0 }
}

/** @param {ScenarioContext} ctx */
async function warmUp(ctx, path, cookies) {
  if (ctx.options.warmup === 0) return undefined
  const { url, options } = ctx
  return measure({ url, path, cookies, connections: options.connections, duration: options.warmup })
}
