import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const RUNNER = new URL('../run.js', import.meta.url).pathname

interface Measurement {
  rps: number
  p99: number
  ok: number
  cpuPerRequest: number
  non2xx: number
  errors: number
  lostUpdates?: number
}

interface Report {
  settings: { duration: number; connections: number; sessions: number }
  contestants: Array<{ name: string }>
  results: Record<string, Record<string, Measurement>>
  targets: Array<{ contestant: string; goal: string; status: string; value?: number }>
}

describe('bench harness', () => {
  let out = ''
  afterAll(() => (out ? rm(out, { recursive: true, force: true }) : undefined))

  it('measures one contestant in a server process and loses no locked update', async () => {
    out = await mkdtemp(join(tmpdir(), 'latchkey-bench-test-'))
    const { stdout } = await run(
      process.execPath,
      [
        RUNNER,
        '--only',
        'latchkey-fastify-memory',
        '--duration',
        '0.5',
        '--warmup',
        '0.2',
        '--connections',
        '8',
        '--sessions',
        '20',
        '--out',
        out,
      ],
      { timeout: 25_000 },
    )
    expect(stdout).toContain('| latchkey + MemoryStore (Fastify) |')

    const report = JSON.parse(await readFile(join(out, 'latest.json'), 'utf8')) as Report
    expect(report.settings).toMatchObject({ duration: 0.5, connections: 8, sessions: 20 })
    expect(report.contestants.map((c) => c.name)).toEqual(['latchkey-fastify-memory'])
    const results = report.results['latchkey-fastify-memory'] ?? {}
    expect(Object.keys(results)).toEqual(['inc', 'hot', 'read'])
    for (const measurement of Object.values(results)) {
      expect(measurement.rps).toBeGreaterThan(0)
      expect(measurement.ok).toBeGreaterThan(0)
      expect(measurement.cpuPerRequest).toBeGreaterThan(0)
      expect(measurement.non2xx).toBe(0)
      expect(measurement.errors).toBe(0)
    }
    expect(results.hot?.lostUpdates).toBe(0)

    const statuses = Object.fromEntries(report.targets.map((t) => [t.goal, t.status]))
    expect(statuses).toEqual({
      'inc: ≥ 0.6× fastify-bare': 'not run',
      'inc: ≥ 2× fastify-session-memory': 'not run',
      'read: ≥ 0.75× fastify-bare': 'not run',
      'hot: ≤ 0 lost updates': 'met',
    })
    expect(await readFile(join(out, 'latest.md'), 'utf8')).toMatch(
      /\| latchkey-fastify-memory — hot: ≤ 0 lost updates +\| +0 \| +– \| met +\|/,
    )
  }, 30_000)
})
