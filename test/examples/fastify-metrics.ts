/**
 * The Fastify example's GET /metrics (prom-client over latchkey's diagnostics
 * channels): every locked increment is counted as a lock wait, and the
 * store's calls are timed.
 */
import { expect, it } from 'vitest'
import { CookieJar } from '../support/http.js'

/** The value of one Prometheus sample line, e.g. `latchkey_lock_wait_seconds_count{manager="session"}`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}

export function metricsOfTheExample(base: () => string): void {
  it('counts each lock wait and times the store at GET /metrics', async () => {
    const count = 'latchkey_lock_wait_seconds_count{manager="session"}'
    const before = await (await fetch(`${base()}/metrics`)).text()
    const jar = new CookieJar()
    await jar.fetch(`${base()}/inc`, { method: 'POST' })
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => jar.fetch(`${base()}/inc`, { method: 'POST' })),
    )
    for (const reply of replies) expect(reply.status).toBe(200)
    const response = await fetch(`${base()}/metrics`)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const after = await response.text()
    // The first increment makes the session (no lock needed); the 20 after it lock a stored one.
    expect(sample(after, count) - sample(before, count)).toBe(20)
    expect(sample(after, 'latchkey_lock_wait_seconds_sum{manager="session"}')).toBeGreaterThan(0)
    expect(
      sample(
        after,
        'latchkey_store_duration_seconds_count{store="memory",operation="lock",outcome="ok"}',
      ),
    ).toBeGreaterThanOrEqual(20)
  })
}
