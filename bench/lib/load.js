import autocannon from 'autocannon'

/**
 * @typedef {object} Measurement
 * @property {number} rps        completed requests per second (total / elapsed)
 * @property {number} p50        latency, ms
 * @property {number} p99        latency, ms
 * @property {number} requests   completed requests
 * @property {number} ok         2xx responses
 * @property {number} non2xx
 * @property {number} errors     connection errors (timeouts included)
 * @property {number} timeouts
 * @property {number} seconds    elapsed
 */

/**
 * Drives `GET <path>` with autocannon, in this process (the server is another
 * process). With several cookies, each request takes the next one in turn.
 * Runs for `duration` seconds, or until `amount` requests completed.
 *
 * @param {{ url: string, path: string, cookies: string[], connections: number,
 *   pipelining: number, duration?: number, amount?: number }} run
 * @returns {Promise<Measurement>}
 */
export async function measure({ url, path, cookies, connections, pipelining, duration, amount }) {
  let turn = 0
  const request =
    cookies.length === 1
      ? { method: 'GET', path, headers: { cookie: cookies[0] } }
      : {
          method: 'GET',
          path,
          setupRequest: (req) => {
            req.headers = { ...req.headers, cookie: cookies[turn++ % cookies.length] }
            return req
          },
        }
  const result = await autocannon({
    url,
    connections,
    pipelining,
    ...(amount === undefined ? { duration } : { amount }),
    requests: [request],
  })
  return {
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  }
}
