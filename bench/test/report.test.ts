import { describe, expect, it } from 'vitest'

// The bench is plain JavaScript: its modules are imported by URL and typed here
// by the parts the tests use.
interface Measurement {
  rps: number
  cpuPerRequest: number
  non2xx: number
  errors: number
  p99?: number
  lostUpdates?: number
}
type Results = Record<string, Record<string, Measurement>>
interface Target {
  scenario: string
  versus?: string
  atLeast?: number
  maxLostUpdates?: number
}
interface TargetResult {
  contestant: string
  goal: string
  value?: number
  cpuRatio?: number
  spread?: [number, number]
  status: string
}
const { checkTargets, markdown, pairedRatio, roundRatios, summarize } = (await import(
  new URL('../lib/report.js', import.meta.url).href
)) as {
  pairedRatio(
    rounds: Results[],
    name: string,
    versus: string,
    scenario: string,
    field?: 'rps' | 'cpu',
  ): number | undefined
  roundRatios(rounds: Results[], name: string, versus: string, scenario: string): number[]
  summarize(rounds: Results[]): Results
  markdown(report: {
    startedAt: string
    machine: Record<string, unknown>
    settings: Record<string, number>
    contestants: Array<{ name: string; label: string; baseline?: string }>
    results: Results
    rounds?: Results[]
    targets: TargetResult[]
    skipped: Array<{ name: string; reason: string }>
  }): string
  checkTargets(
    contestants: Array<{ name: string; targets: Target[] }>,
    results: Results,
    rounds: Results[],
  ): TargetResult[]
}

const m = (rps: number, cpuPerRequest = 1_000_000 / rps): Measurement => ({
  rps,
  cpuPerRequest,
  non2xx: 0,
  errors: 0,
})

// Three rounds in which the host's load moves between rounds: within each
// round the contestant runs at 0.7× the baseline, but each one's median comes
// from a different round.
const rounds: Results[] = [
  { bare: { read: m(50_000) }, lk: { read: m(35_000) } },
  { bare: { read: m(30_000) }, lk: { read: m(21_000) } },
  { bare: { read: m(40_000) }, lk: { read: m(28_000) } },
]

// Rounds in which each one's median round is a different round: the ratio of
// the two medians is 0.6×, while the rounds' own ratios are 0.8×, 0.8× and 0.5×.
const shifted: Results[] = [
  { bare: { read: m(50_000) }, lk: { read: m(40_000) } },
  { bare: { read: m(30_000) }, lk: { read: m(24_000) } },
  { bare: { read: m(60_000) }, lk: { read: m(30_000) } },
]
const readTarget = (atLeast: number) => [
  { name: 'lk', targets: [{ scenario: 'read', versus: 'bare', atLeast }] },
]

describe('bench report: ratios over rounds', () => {
  it('takes the median of the ratios within each round', () => {
    expect(pairedRatio(rounds, 'lk', 'bare', 'read')).toBeCloseTo(0.7)
    expect(pairedRatio(rounds, 'lk', 'bare', 'read', 'cpu')).toBeCloseTo(0.7)
    // The ratio of the medians compares one's fast round with the other's slow one.
    const summary = summarize(shifted)
    expect((summary.lk?.read?.rps ?? 0) / (summary.bare?.read?.rps ?? 1)).toBeCloseTo(0.6)
    expect(pairedRatio(shifted, 'lk', 'bare', 'read')).toBeCloseTo(0.8)
  })

  it('averages the two middle ratios of an even count and skips rounds missing either side', () => {
    const four = [
      ...rounds,
      { bare: { read: m(45_000) } },
      { bare: { read: m(10_000) }, lk: { read: m(9_000) } },
    ]
    expect(pairedRatio(four, 'lk', 'bare', 'read')).toBeCloseTo(0.7)
    expect(pairedRatio([{ bare: { read: m(1) } }], 'lk', 'bare', 'read')).toBeUndefined()
  })

  it('is the plain ratio for a single run', () => {
    expect(pairedRatio([rounds[0] as Results], 'lk', 'bare', 'read')).toBeCloseTo(0.7)
  })

  it('judges ratio targets by it', () => {
    const [target] = checkTargets(readTarget(0.75), summarize(shifted), shifted)
    expect(target).toMatchObject({ goal: 'read: ≥ 0.75× bare', status: 'met' })
    expect(target?.value).toBeCloseTo(0.8)
    const [missed] = checkTargets(readTarget(0.85), summarize(shifted), shifted)
    expect(missed?.status).toBe('missed')
  })

  it('reports the lowest and highest round of a ratio over several rounds', () => {
    expect(roundRatios(shifted, 'lk', 'bare', 'read')).toEqual([0.5, 0.8, 0.8])
    const targets = checkTargets(readTarget(0.75), summarize(shifted), shifted)
    expect(targets[0]?.spread).toEqual([0.5, 0.8])
    expect(
      checkTargets(readTarget(0.75), summarize([shifted[0] as Results]), [
        shifted[0] as Results,
      ])[0],
    ).not.toHaveProperty('spread')

    const report = {
      startedAt: '2026-11-26T00:00:00.000Z',
      machine: { node: '20', cpus: 2, cpuModel: 'test', loadavg: '0' },
      settings: {
        connections: 50,
        pipelining: 1,
        duration: 4,
        warmup: 1,
        sessions: 1000,
        rounds: 3,
      },
      contestants: [
        { name: 'bare', label: 'bare' },
        { name: 'lk', label: 'lk', baseline: 'bare' },
      ],
      results: summarize(shifted),
      rounds: shifted,
      targets,
      skipped: [],
    }
    const text = markdown(report)
    expect(text).toMatch(/\| target +\| measured \(req\/s\) \| rounds, lowest–highest \|/)
    expect(text).toMatch(/\| lk — read: ≥ 0\.75× bare \| +0\.80× \| +0\.50–0\.80× \|/)
    const single = markdown({ ...report, settings: { ...report.settings, rounds: 1 } })
    expect(single).not.toContain('lowest–highest')
  })
})
