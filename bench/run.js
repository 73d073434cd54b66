// The benchmark runner: `npm run bench -- [--quick] [--only a,b] ...` (see --help).
// Starts the services the selected contestants need, then for each contestant
// one server process, the scenarios against it with autocannon from this
// process, and stops it. Prints a table and writes <out>/latest.md and .json.
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { contestantNames, loadContestant } from './lib/contestants.js'
import { readOptions } from './lib/options.js'
import { checkTargets, markdown } from './lib/report.js'
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
  console.error('latchkey is not built: run `npm run build` (npm install does it) first')
  process.exit(1)
}

if (options.list) {
  for (const name of await contestantNames())
    console.log(`${name}\t${(await loadContestant(name)).label}`)
  process.exit(0)
}
const contestants = await Promise.all(
  (options.only ?? (await contestantNames())).map((name) => loadContestant(name)),
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
  pipelining: options.pipelining,
  sessions: options.sessions,
}
console.log(
  `latchkey bench: ${contestants.map((c) => c.name).join(', ')} · ${options.duration} s per scenario`,
)

const { running, unavailable } = await startServices(contestants.flatMap((c) => c.requires ?? []))
/** @type {Record<string, Record<string, any>>} */
const results = {}
const skipped = []
try {
  for (const contestant of contestants) {
    const missing = (contestant.requires ?? []).find((service) => unavailable.has(service))
    if (missing) {
      skipped.push({ name: contestant.name, reason: unavailable.get(missing) })
      console.log(`skipped ${contestant.name}: ${unavailable.get(missing)}`)
      continue
    }
    const env = {}
    for (const service of contestant.requires ?? []) {
      const started = running.get(service)
      await started.reset()
      env[service] = started.env
    }
    const server = await startServer(contestant.name, {
      env,
      profileDir: options.cpuProf ? join(options.out, 'profiles') : undefined,
    })
    try {
      const { hot, pool } = await prepareSessions(server.url, options)
      results[contestant.name] = {}
      for (const scenario of SCENARIOS) {
        if (contestant.skip?.[scenario.key]) continue
        const measured = await scenario.run({ url: server.url, pool, hot, options })
        results[contestant.name][scenario.key] = measured
        console.log(
          `  ${contestant.name.padEnd(28)} ${scenario.key.padEnd(5)} ${Math.round(measured.rps)
            .toString()
            .padStart(7)} req/s  p99 ${measured.p99} ms` +
            (measured.lostUpdates === undefined ? '' : `  lost ${measured.lostUpdates}`) +
            (measured.non2xx || measured.errors
              ? `  non-2xx ${measured.non2xx} errors ${measured.errors}`
              : ''),
        )
      }
    } finally {
      await server.stop()
    }
  }
} finally {
  for (const service of running.values()) await service.stop()
}

const targets = checkTargets(contestants, results)
const report = {
  startedAt,
  machine,
  settings,
  contestants: contestants.map(({ name, label, baseline, peer, requires }) => ({
    name,
    label,
    baseline,
    peer,
    requires: requires ?? [],
  })),
  scenarios: SCENARIOS.map(({ key, title }) => ({ key, title })),
  results,
  targets,
  skipped,
}
const table = markdown(report)
console.log(`\n${table}`)
await mkdir(options.out, { recursive: true })
await writeFile(join(options.out, 'latest.md'), table)
await writeFile(join(options.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`written to ${join(options.out, 'latest.md')} and latest.json`)
