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
 * process), one request in flight per connection. With several cookies, each
 * connection sends them in turn. Runs for `duration` seconds, or until
 * `amount` requests completed.
 *
 * @param {{ url: string, path: string, cookies: string[], connections: number,
 *   duration?: number, amount?: number }} run
 * @returns {Promise<Measurement>}
 */
export async function measure({ url, path, cookies, connections, duration, amount }) {
  const requestFor = (cookie) => ({ method: 'GET', path, headers: { cookie } })
  // Prebuilt requests cost the load generator nothing per request (a
  // setupRequest hook would rebuild each one). Each connection walks the whole
  // pool from its own offset, so connections do not crowd the same session.
  let connection = 0
  const setupClient = (client) => {
    const offset = Math.floor((connection++ * cookies.length) / connections) % cookies.length
    client.setRequests(
      cookies.map((_, i) => requestFor(cookies[(offset + i) % cookies.length] ?? '')),
    )
  }
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    ...(amount === undefined ? { duration } : { amount }),
    requests: [requestFor(cookies[0] ?? '')],
    ...(cookies.length > 1 ? { setupClient } : {}),
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
