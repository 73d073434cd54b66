import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// The bench is plain JavaScript: its modules are imported by URL and typed here
// by the parts the tests use.
interface Instructions {
  main: number
  all: number
}
interface CountingServer {
  url: string
  count(run: () => Promise<unknown>): Promise<Instructions>
  stop(): Promise<void>
}
interface Row {
  contestant: string
  goal: string
  own?: number
  versus?: number
  ratio?: number
  ratioAll?: number
}
const bench = (path: string) => new URL(`../${path}`, import.meta.url).href
const { dumpTotals, startCountingServer, totalOf } = (await import(bench('lib/callgrind.js'))) as {
  totalOf(text: string): number | undefined
  dumpTotals(files: Array<{ name: string; text: string }>, prefix: string): Instructions
  startCountingServer(name: string, options: { env: object; dir: string }): Promise<CountingServer>
}
const { instructionRows, instructionTable } = (await import(
  bench('lib/instruction-report.js')
)) as {
  instructionRows(
    targets: Array<{ contestant: string; scenario: string; versus: string; atLeast?: number }>,
    counts: Record<string, Record<string, Instructions>>,
  ): Row[]
  instructionTable(report: {
    startedAt: string
    settings: { warmup: number; requests: number; sessions: number }
    rows: Row[]
  }): string
}
const { measure } = (await import(bench('lib/load.js'))) as {
  measure(run: {
    url: string
    path: string
    cookies: string[]
    connections: number
    amount: number
  }): Promise<{ requests: number; ok: number }>
}

const MISSING = 'valgrind not found: apt-get install valgrind to run the instruction-count test'

describe('instruction counts: reading callgrind output', () => {
  it('takes the summary line, or totals in older formats', () => {
    expect(totalOf('version: 1\nevents: Ir\nsummary: 12345\n')).toBe(12345)
    expect(totalOf('events: Ir\nfn=main\n1 5\ntotals: 678\n')).toBe(678)
    expect(totalOf('events: Ir\nfn=main\n')).toBeUndefined()
  })

  it("sums one dump's threads and keeps thread 01 as the main thread", () => {
    const files = [
      { name: 'app.42.2-01', text: 'summary: 1000\n' },
      { name: 'app.42.2-02', text: 'summary: 300\n' },
      { name: 'app.42.2-11', text: 'summary: 0\n' },
      { name: 'app.42.1-01', text: 'summary: 999999\n' },
      { name: 'app.42.2-01.tmp', text: 'summary: 5\n' },
    ]
    expect(dumpTotals(files, 'app.42.2-')).toEqual({ main: 1000, all: 1300 })
    expect(() => dumpTotals(files, 'app.42.3-')).toThrow(/no main-thread callgrind output/)
  })

  it('reports each ratio target, and a reference against its baseline, as the other side over this one, like req/s', () => {
    const rows = instructionRows(
      [
        { contestant: 'lk', scenario: 'read', versus: 'bare', atLeast: 0.75 },
        { contestant: 'lk', scenario: 'inc', versus: 'peer', atLeast: 2 },
        { contestant: 'floor', scenario: 'read', versus: 'bare' },
      ],
      {
        lk: { read: { main: 100, all: 200 }, inc: { main: 50, all: 80 } },
        bare: { read: { main: 80, all: 180 } },
        floor: { read: { main: 90, all: 190 } },
      },
    )
    expect(rows[0]).toEqual({
      contestant: 'lk',
      goal: 'read: ≥ 0.75× bare',
      own: 100,
      versus: 80,
      ratio: 0.8,
      ratioAll: 0.9,
    })
    expect(rows[1]).toMatchObject({ goal: 'inc: ≥ 2× peer', ratio: undefined })
    // A reference has no goal, only its ratio to its baseline.
    expect(rows[2]).toMatchObject({ goal: 'read: × bare', ratio: 80 / 90 })
    const table = instructionTable({
      startedAt: '2026-11-26T00:00:00.000Z',
      settings: { warmup: 10, requests: 20, sessions: 3 },
      rows,
    })
    // Padded as Biome formats Markdown, so a written report passes `npm run lint`.
    const lines = table.split('\n').filter((line) => line.startsWith('|'))
    expect(new Set(lines.map((line) => line.length)).size).toBe(1)
    expect(lines.map((line) => line.replace(/ +/g, ' '))).toEqual([
      '| target | instr/req (main thread) | versus, instr/req | × by instructions (main) | × (all threads) |',
      '| ----------------------- | ----------------------: | ----------------: | -----------------------: | --------------: |',
      '| lk — read: ≥ 0.75× bare | 100 | 80 | 0.80× | 0.90× |',
      '| lk — inc: ≥ 2× peer | 50 | – | – | – |',
      '| floor — read: × bare | 90 | 80 | 0.89× | 0.95× |',
    ])
  })
})

const valgrind = spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0
const describeValgrind = valgrind ? describe : describe.skip
if (!valgrind && process.env.CI) {
  describe('instruction counts under valgrind', () => {
    it('needs valgrind', () => {
      throw new Error(MISSING)
    })
  })
} else {
  if (!valgrind) console.warn(`skipped "instruction counts under valgrind": ${MISSING}`)
  describeValgrind('instruction counts under valgrind', () => {
    it('counts a real server between zero and dump, the same work alike', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'latchkey-callgrind-test-'))
      const server = await startCountingServer('fastify-bare', { env: {}, dir })
      try {
        const run = (amount: number) =>
          measure({ url: server.url, path: '/read', cookies: [''], connections: 1, amount })
        await run(300)
        const first = await server.count(() => run(200))
        const second = await server.count(() => run(200))
        const idle = await server.count(async () => {})
        expect(first.main).toBeGreaterThan(200 * 10_000)
        expect(first.all).toBeGreaterThanOrEqual(first.main)
        // The same requests on a warm server: the counts agree closely, and idle is near nothing.
        expect(Math.abs(second.main - first.main) / first.main).toBeLessThan(0.25)
        expect(idle.main).toBeLessThan(first.main / 20)
      } finally {
        await server.stop()
        await rm(dir, { recursive: true, force: true })
      }
    }, 240_000)
  })
}
