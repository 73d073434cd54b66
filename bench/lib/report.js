import { SCENARIOS } from './scenarios.js'

/**
 * @typedef {object} TargetResult
 * @property {string} contestant
 * @property {string} goal        e.g. "inc ≥ 2× fastify-session-memory"
 * @property {number | undefined} value   the ratio or lost-update count measured
 * @property {'met' | 'missed' | 'not run'} status
 * @property {string} [reason]
 */

/**
 * Checks every selected contestant's targets against the results.
 * @param {import('./contestants.js').Contestant[]} contestants
 * @param {Record<string, Record<string, any>>} results  contestant → scenario → measurement
 * @returns {TargetResult[]}
 */
export function checkTargets(contestants, results) {
  const checked = []
  for (const contestant of contestants) {
    for (const target of contestant.targets ?? []) {
      const own = results[contestant.name]?.[target.scenario]
      if ('maxLostUpdates' in target) {
        const goal = `${target.scenario}: ≤ ${target.maxLostUpdates} lost updates`
        if (!own)
          checked.push({ contestant: contestant.name, goal, value: undefined, status: 'not run' })
        else {
          const failed = failures(own)
          checked.push({
            contestant: contestant.name,
            goal,
            value: own.lostUpdates,
            status: !failed && own.lostUpdates <= target.maxLostUpdates ? 'met' : 'missed',
            ...(failed ? { reason: failed } : {}),
          })
        }
        continue
      }
      const goal = `${target.scenario}: ≥ ${target.atLeast}× ${target.versus}`
      const other = results[target.versus]?.[target.scenario]
      if (!own || !other) {
        checked.push({ contestant: contestant.name, goal, value: undefined, status: 'not run' })
        continue
      }
      const value = own.rps / other.rps
      const failed = failures(own)
      checked.push({
        contestant: contestant.name,
        goal,
        value,
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

/**
 * The results as Markdown: the settings, one row per contestant, the targets.
 * @param {{ startedAt: string, machine: any, settings: any, contestants: any[],
 *   results: Record<string, Record<string, any>>, targets: TargetResult[],
 *   skipped: { name: string, reason: string }[] }} report
 */
export function markdown(report) {
  const { machine, settings, contestants, results, targets, skipped } = report
  const lines = [
    `Run ${report.startedAt} · Node ${machine.node} · ${machine.cpus} × ${machine.cpuModel} · load average at start ${machine.loadavg}`,
    `${settings.connections} connections, pipelining ${settings.pipelining}, ${settings.duration} s per scenario after a ${settings.warmup} s warm-up, ${settings.sessions} sessions in the pool. Load generator: autocannon in the runner process; each server in its own process.`,
    '',
    '| contestant | /inc req/s | p99 ms | × bare | × peer | hot /inc req/s | p99 ms | lost updates | /read req/s | p99 ms | × bare | non-2xx / errors |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ]
  for (const contestant of contestants) {
    const own = results[contestant.name] ?? {}
    const ratio = (scenario, other) => {
      const a = own[scenario]
      const b = other ? results[other]?.[scenario] : undefined
      return a && b ? `${(a.rps / b.rps).toFixed(2)}×` : '–'
    }
    const rps = (scenario) =>
      own[scenario] ? Math.round(own[scenario].rps).toLocaleString('en-US') : '–'
    const p99 = (scenario) => (own[scenario] ? String(own[scenario].p99) : '–')
    const bad = SCENARIOS.map((s) => own[s.key])
      .filter(Boolean)
      .reduce((sum, m) => [sum[0] + m.non2xx, sum[1] + m.errors], [0, 0])
    lines.push(
      `| ${contestant.label} | ${rps('inc')} | ${p99('inc')} | ${ratio('inc', contestant.baseline)} | ${ratio('inc', contestant.peer)} | ${rps('hot')} | ${p99('hot')} | ${own.hot ? own.hot.lostUpdates : '–'} | ${rps('read')} | ${p99('read')} | ${ratio('read', contestant.baseline)} | ${bad[0]} / ${bad[1]} |`,
    )
  }
  if (targets.length > 0) {
    lines.push('', '| target | measured | status |', '|---|--:|---|')
    for (const target of targets) {
      const value =
        target.value === undefined
          ? '–'
          : target.goal.includes('lost')
            ? String(target.value)
            : `${target.value.toFixed(2)}×`
      const status = target.reason ? `${target.status} (${target.reason})` : target.status
      lines.push(`| ${target.contestant} — ${target.goal} | ${value} | ${status} |`)
    }
  }
  for (const { name, reason } of skipped) lines.push('', `Skipped ${name}: ${reason}`)
  return `${lines.join('\n')}\n`
}
