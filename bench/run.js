// The benchmark runner: `npm run bench -- [--quick] [--only a,b] ...` (see --help).
// Starts the services the selected contestants need, then for each contestant
// one server process, the scenarios against it with autocannon from this
// process, and stops it. Prints a table and writes <out>/latest.md and .json.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { contestantNames, loadContestant, runOrder } from './lib/contestants.js'
import { readOptions } from './lib/options.js'
import { checkTargets, markdown, summarize } from './lib/report.js'
import { prepareSessions, SCENARIOS } from './lib/scenarios.js'
import { startServer } from './lib/server-process.js'
import { startServices } from './lib/services.js'

const options = readOptions()
if (options.help) {
  console.log(options.helpText)
  process.exit(0)
}
try {
  await import('latchkey')
} catch {
  console.error(
    'latchkey is not built: run `npm ci` (or `npm run build`) in the repository root first',
  )
  process.exit(1)
}
if (options.list) {
  for (const name of await contestantNames())
    console.log(`${name}\t${(await loadContestant(name)).label}`)
  process.exit(0)
}
const contestants = runOrder(
  await Promise.all(
    (options.only ?? (await contestantNames())).map((name) => loadContestant(name)),
  ),
)

const startedAt = new Date().toISOString()
const machine = {
  node: process.versions.node,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  loadavg: loadavg()
    .map((n) => n.toFixed(2))
    .join(' '),
}
const settings = {
  duration: options.duration,
  warmup: options.warmup,
  connections: options.connections,
  pipelining: 1,
  sessions: options.sessions,
  rounds: options.rounds,
}
console.log(
  `latchkey bench: ${contestants.map((c) => c.name).join(', ')} · ${options.duration} s per scenario` +
    (options.rounds > 1 ? ` · ${options.rounds} rounds` : ''),
)

const { running, unavailable } = await startServices(contestants.flatMap((c) => c.requires ?? []))
/** @type {Array<Record<string, Record<string, import('./lib/scenarios.js').Result>>>} */
const rounds = []
const skipped = []
for (const contestant of contestants) {
  const missing = (contestant.requires ?? []).find((service) => unavailable.has(service))
  if (missing) {
    skipped.push({ name: contestant.name, reason: unavailable.get(missing) })
    console.log(`skipped ${contestant.name}: ${unavailable.get(missing)}`)
  }
}
try {
  for (let round = 0; round < options.rounds; round++) {
    const results = {}
    rounds.push(results)
    for (const contestant of contestants) {
      if (skipped.some((s) => s.name === contestant.name)) continue
      try {
        results[contestant.name] = await runContestant(contestant)
      } catch (error) {
        // One broken contestant must not cost the others' results.
        process.exitCode = 1
        skipped.push({ name: contestant.name, reason: `failed: ${error.message}` })
        console.error(`${contestant.name} failed:`, error)
      }
    }
  }
} finally {
  for (const service of running.values()) await service.stop()
}

const results = summarize(rounds)
const targets = checkTargets(contestants, results, rounds)
const report = {
  startedAt,
  machine,
  settings,
  contestants: contestants.map(({ name, label, baseline, peer, requires, skip }) => ({
    name,
    label,
    baseline,
    peer,
    requires: requires ?? [],
    skip: skip ?? {},
  })),
  scenarios: SCENARIOS.map(({ key, title }) => ({ key, title })),
  results,
  targets,
  skipped,
  ...(rounds.length > 1 ? { rounds } : {}),
}
const table = markdown(report)
console.log(`\n${table}`)
await mkdir(options.out, { recursive: true })
await writeFile(join(options.out, 'latest.md'), table)
await writeFile(join(options.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`written to ${join(options.out, 'latest.md')} and latest.json`)

/** One server process for the contestant, every scenario against it, then stop. */
async function runContestant(contestant) {
  const env = {}
  for (const name of contestant.requires ?? []) {
    const service = running.get(name)
    await service.reset()
    env[name] = service.env
  }
  const server = await startServer(contestant.name, {
    env,
    profileDir: options.cpuProf ? join(options.out, 'profiles') : undefined,
  })
  try {
    const { hot, pool } = await prepareSessions(server.url, options)
    const results = {}
    for (const scenario of SCENARIOS) {
      if (contestant.skip?.[scenario.key]) continue
      const measured = await scenario.run({ ...server, pool, hot, options })
      results[scenario.key] = measured
      console.log(progressLine(contestant.name, scenario.key, measured))
    }
    return results
  } finally {
    await server.stop()
  }
}

function progressLine(name, scenario, measured) {
  const parts = [
    `  ${name.padEnd(28)} ${scenario.padEnd(5)}`,
    `${Math.round(measured.rps).toString().padStart(7)} req/s`,
    `p99 ${measured.p99} ms`,
    `server ${Math.round(measured.cpuPerRequest)} µs/req`,
  ]
  if (measured.lostUpdates !== undefined) parts.push(`lost ${measured.lostUpdates}`)
  if (measured.non2xx || measured.errors)
    parts.push(`non-2xx ${measured.non2xx} errors ${measured.errors}`)
  return parts.join('  ')
}
