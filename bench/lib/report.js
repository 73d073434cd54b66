import { SCENARIOS } from './scenarios.js'

/**
 * @typedef {import('./scenarios.js').Result} Result
 * @typedef {Record<string, Record<string, Result>>} Results  contestant → scenario → result
 */

/**
 * @typedef {object} TargetResult
 * @property {string} contestant
 * @property {string} goal        e.g. "inc: ≥ 2× fastify-session-memory"
 * @property {number | undefined} value   the req/s ratio or lost-update count measured
 * @property {number | undefined} [cpuRatio]  the same ratio by server CPU per request
 * @property {[number, number]} [spread]  over several rounds: the lowest and highest round's ratio
 * @property {'met' | 'missed' | 'not run'} status
 * @property {string} [reason]
 */

/**
 * One result per contestant and scenario over all rounds: the round with the
 * median req/s, except that lost updates, non-2xx and errors add up.
 * @param {Results[]} rounds
 * @returns {Results}
 */
export function summarize(rounds) {
  /** @type {Results} */
  const summary = {}
  for (const name of new Set(rounds.flatMap((round) => Object.keys(round)))) {
    summary[name] = {}
    for (const { key } of SCENARIOS) {
      const runs = rounds.map((round) => round[name]?.[key]).filter((run) => run !== undefined)
      if (runs.length === 0) continue
      const sorted = [...runs].sort((a, b) => a.rps - b.rps)
      const median = /** @type {Result} */ (sorted[Math.floor((sorted.length - 1) / 2)])
      const total = (field) => runs.reduce((sum, run) => sum + (run[field] ?? 0), 0)
      summary[name][key] = {
        ...median,
        non2xx: total('non2xx'),
        errors: total('errors'),
        timeouts: total('timeouts'),
        ...(median.lostUpdates === undefined ? {} : { lostUpdates: total('lostUpdates') }),
      }
    }
  }
  return summary
}

/**
 * The ratio of one contestant to another on a scenario: req/s (or, with
 * `field` 'cpu', the other's server CPU per request over this one's, so that
 * both read as "how many times as fast"). Over several rounds, the median of
 * the ratios within each round: the two ran a minute or two apart in a round,
 * while the rounds are many minutes apart, and the host's load moves between
 * them. (The ratio of each one's median would pair one contestant's fast
 * round with the other's slow one.) Undefined when no round measured both.
 * @param {Results[]} rounds  one entry for a single run
 * @param {string} name
 * @param {string} versus
 * @param {string} scenario
 * @param {'rps' | 'cpu'} [field]
 * @returns {number | undefined}
 */
export function pairedRatio(rounds, name, versus, scenario, field = 'rps') {
  return median(roundRatios(rounds, name, versus, scenario, field))
}

/**
 * The median of numbers sorted lowest first; undefined for none.
 * @param {number[]} sorted
 * @returns {number | undefined}
 */
function median(sorted) {
  if (sorted.length === 0) return undefined
  const half = Math.floor(sorted.length / 2)
  if (sorted.length % 2 === 1) return sorted[half]
  return ((sorted[half - 1] ?? 0) + (sorted[half] ?? 0)) / 2
}

/**
 * The ratio of one contestant to another within each round that measured
 * both (see {@link pairedRatio}), lowest first.
 * @param {Results[]} rounds
 * @param {string} name
 * @param {string} versus
 * @param {string} scenario
 * @param {'rps' | 'cpu'} [field]
 * @returns {number[]}
 */
export function roundRatios(rounds, name, versus, scenario, field = 'rps') {
  const ratios = []
  for (const round of rounds) {
    const own = round[name]?.[scenario]
    const other = round[versus]?.[scenario]
    if (!own || !other) continue
    ratios.push(field === 'rps' ? own.rps / other.rps : other.cpuPerRequest / own.cpuPerRequest)
  }
  return ratios.sort((a, b) => a - b)
}

/**
 * Checks every selected contestant's targets: lost updates and failures
 * against the summarized results, ratios by {@link pairedRatio} over the rounds.
 * @param {import('./contestants.js').Contestant[]} contestants
 * @param {Results} results
 * @param {Results[]} rounds
 * @returns {TargetResult[]}
 */
export function checkTargets(contestants, results, rounds) {
  const checked = []
  for (const contestant of contestants) {
    for (const target of contestant.targets ?? []) {
      const base = { contestant: contestant.name }
      const own = results[contestant.name]?.[target.scenario]
      if ('maxLostUpdates' in target) {
        const goal = `${target.scenario}: ≤ ${target.maxLostUpdates} lost updates`
        if (!own) {
          checked.push({ ...base, goal, value: undefined, status: 'not run' })
          continue
        }
        const failed = failures(own)
        checked.push({
          ...base,
          goal,
          value: own.lostUpdates,
          status: !failed && (own.lostUpdates ?? 0) <= target.maxLostUpdates ? 'met' : 'missed',
          ...(failed ? { reason: failed } : {}),
        })
        continue
      }
      const goal = `${target.scenario}: ≥ ${target.atLeast}× ${target.versus}`
      const ratios = roundRatios(rounds, contestant.name, target.versus, target.scenario)
      const value = median(ratios)
      if (!own || value === undefined) {
        checked.push({ ...base, goal, value: undefined, status: 'not run' })
        continue
      }
      const failed = failures(own)
      checked.push({
        ...base,
        goal,
        value,
        cpuRatio: pairedRatio(rounds, contestant.name, target.versus, target.scenario, 'cpu'),
        ...(ratios.length > 1 ? { spread: [ratios[0], ratios[ratios.length - 1]] } : {}),
        status: !failed && value >= target.atLeast ? 'met' : 'missed',
        ...(failed ? { reason: failed } : {}),
      })
    }
  }
  return checked
}

/** A measurement with failed requests does not meet a goal, however fast it was. */
function failures(measurement) {
  if (measurement.non2xx > 0 || measurement.errors > 0)
    return `${measurement.non2xx} non-2xx, ${measurement.errors} errors`
  return undefined
}

/** A count as the tables print it: rounded, with thousands separators. */
export const number = (value) => Math.round(value).toLocaleString('en-US')

/** A ratio as the tables print it (`0.81×`), or a dash when there is none. */
export const times = (value) => (value === undefined ? '–' : `${value.toFixed(2)}×`)

/** A range of ratios as the tables print it (`0.62–0.91×`). */
const range = ([low, high]) => `${low.toFixed(2)}–${high.toFixed(2)}×`

/**
 * The results as Markdown: the settings, one row per contestant, the targets.
 * @param {{ startedAt: string, machine: any, settings: any,
 *   contestants: Array<{ name: string, label: string, baseline?: string, peer?: string,
 *     skip?: Record<string, string> }>,
 *   results: Results, rounds?: Results[], targets: TargetResult[],
 *   skipped: { name: string, reason: string }[] }} report
 */
export function markdown(report) {
  const { machine, settings, contestants, results, targets, skipped } = report
  const measured = report.rounds ?? [results]
  const rounds =
    settings.rounds > 1
      ? `, median of ${settings.rounds} rounds (ratios: the median of each round's ratio)`
      : ''
  const lines = [
    `Run ${report.startedAt} · Node ${machine.node} · ${machine.cpus} × ${machine.cpuModel} · load average at start ${machine.loadavg}`,
    '',
    `${settings.connections} connections, pipelining ${settings.pipelining}, ${settings.duration} s per scenario after a ${settings.warmup} s warm-up, ${settings.sessions} sessions in the pool${rounds}. Load generator: autocannon in the runner process; each server in its own process. µs/req: the server process's CPU time per completed request.`,
    '',
  ]
  const header = [
    'contestant',
    '/inc req/s',
    'p99 ms',
    'µs/req',
    '× bare',
    '× peer',
    'hot /inc req/s',
    'p99 ms',
    'lost updates',
    '/read req/s',
    'p99 ms',
    'µs/req',
    '× bare',
    'non-2xx / errors',
  ]
  const rows = []
  for (const contestant of contestants.filter((c) => results[c.name] !== undefined)) {
    const own = results[contestant.name] ?? {}
    const cell = (scenario, show) => (own[scenario] ? show(own[scenario]) : '–')
    const ratio = (scenario, other) =>
      times(other ? pairedRatio(measured, contestant.name, other, scenario) : undefined)
    const bad = SCENARIOS.map((s) => own[s.key])
      .filter((m) => m !== undefined)
      .reduce((sum, m) => [sum[0] + m.non2xx, sum[1] + m.errors], [0, 0])
    const row = [
      contestant.label,
      cell('inc', (m) => number(m.rps)),
      cell('inc', (m) => String(m.p99)),
      cell('inc', (m) => number(m.cpuPerRequest)),
      ratio('inc', contestant.baseline),
      ratio('inc', contestant.peer),
      cell('hot', (m) => number(m.rps)),
      cell('hot', (m) => String(m.p99)),
      cell('hot', (m) => String(m.lostUpdates)),
      cell('read', (m) => number(m.rps)),
      cell('read', (m) => String(m.p99)),
      cell('read', (m) => number(m.cpuPerRequest)),
      ratio('read', contestant.baseline),
      `${bad[0]} / ${bad[1]}`,
    ]
    rows.push(row)
  }
  lines.push(...markdownTable(header, rows))
  const compared = contestants.filter((c) => c.baseline || c.peer)
  if (compared.length > 0) {
    const legend = compared.map(
      (c) => `${c.name}: bare = ${c.baseline ?? '–'}${c.peer ? `, peer = ${c.peer}` : ''}`,
    )
    lines.push('', `Ratios are of req/s. ${legend.join('; ')}.`)
  }
  if (targets.length > 0) {
    // Over several rounds, the spread of the rounds' own ratios shows how far
    // the host moved a ratio: a median near the line within a wide spread is
    // not a difference the run can tell.
    const spreads = settings.rounds > 1
    const targetRows = []
    for (const target of targets) {
      const lost = target.goal.includes('lost')
      const value = lost && target.value !== undefined ? String(target.value) : times(target.value)
      const cpu = times(target.cpuRatio)
      const status = target.reason ? `${target.status} (${target.reason})` : target.status
      const row = [`${target.contestant} — ${target.goal}`, value, cpu, status]
      if (spreads) row.splice(2, 0, target.spread ? range(target.spread) : '–')
      targetRows.push(row)
    }
    const header = ['target', 'measured (req/s)', 'by server CPU', 'status']
    if (spreads) header.splice(2, 0, 'rounds, lowest–highest')
    lines.push('', ...markdownTable(header, targetRows))
  }
  for (const [scenario, reason, names] of scenarioSkips(contestants, results))
    lines.push('', `Not run: ${scenario} for ${names.join(', ')} (${reason}).`)
  for (const { name, reason } of skipped) lines.push('', `Skipped ${name}: ${reason}`)
  return `${lines.join('\n')}\n`
}

/** Scenarios contestants declared not applicable, grouped by scenario and reason. */
function scenarioSkips(contestants, results) {
  const groups = new Map()
  for (const contestant of contestants) {
    if (results[contestant.name] === undefined) continue
    for (const [scenario, reason] of Object.entries(contestant.skip ?? {})) {
      const key = `${scenario}\n${reason}`
      if (!groups.has(key)) groups.set(key, [scenario, reason, []])
      groups.get(key)[2].push(contestant.name)
    }
  }
  return [...groups.values()]
}

/**
 * A Markdown table with padded columns, as the formatter (Biome) writes it: the
 * first column left-aligned, the others right-aligned except a last text column.
 * @param {string[]} header
 * @param {string[][]} rows
 */
export function markdownTable(header, rows) {
  const widths = header.map((title, i) =>
    Math.max(3, title.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  const right = header.map((_, i) => i > 0 && !(i === header.length - 1 && header[i] === 'status'))
  const line = (cells) =>
    `| ${cells
      .map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join(' | ')} |`
  const rule = `| ${widths.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`
  return [line(header), rule, ...rows.map(line)]
}
