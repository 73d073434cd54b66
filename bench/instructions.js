// Instruction counts behind the ratio targets: `npm run bench:instructions -- [--only a,b]`.
// Each contestant named by a target (and each it is compared with) runs under
// valgrind's callgrind; the scenario's route is warmed up, then its instructions
// are counted over a fixed number of requests, one at a time. Unlike req/s,
// the counts repeat on a busy machine: use them to see what a change costs.
// The targets themselves are judged on req/s by `npm run bench`.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startCountingServer } from './lib/callgrind.js'
import { createSessions } from './lib/client.js'
import { contestantNames, loadContestant } from './lib/contestants.js'
import { instructionRows, instructionTable } from './lib/instruction-report.js'
import { measure } from './lib/load.js'
import { integer, nameList } from './lib/options.js'
import { number } from './lib/report.js'
import { startServices } from './lib/services.js'

const HELP = `npm run bench:instructions -- [options]

  --only a,b        the targets of these contestants (default: every contestant with ratio targets);
                    one named here without ratio targets (a reference such as hono-middleware) is
                    counted against its baseline on /read and /inc
  --requests <n>    requests counted per route (default 3000)
  --warmup <n>      requests sent first, not counted (default 5000)
  --sessions <n>    sessions the requests rotate over (default 1000)
  --out <dir>       where instructions.md and .json go (default bench/results)
  --help            this text

Needs valgrind (callgrind_control included).`

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    requests: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '5000' },
    sessions: { type: 'string', default: '1000' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  strict: true,
})
if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const requests = integer('requests', values.requests)
const warmup = integer('warmup', values.warmup)
const sessions = integer('sessions', values.sessions)
const out = values.out ?? new URL('./results/', import.meta.url).pathname

const names = values.only === undefined ? await contestantNames() : nameList(values.only)
const owners = await Promise.all(names.map((name) => loadContestant(name)))
const targets = owners.flatMap((contestant) =>
  (contestant.targets ?? [])
    .filter((target) => 'atLeast' in target)
    .map((target) => ({ contestant: contestant.name, ...target })),
)
if (values.only !== undefined) {
  for (const { name, baseline, targets: own = [] } of owners) {
    if (baseline === undefined || own.some((target) => 'atLeast' in target)) continue
    // In the order the targets of latchkey's contestants count them: the first route a server
    // counts carries more of its warm-up, so references compare only in the same order.
    for (const scenario of ['inc', 'read'])
      targets.push({ contestant: name, scenario, versus: baseline })
  }
}
if (targets.length === 0) {
  console.error('no ratio targets, and no baselines, among the selected contestants')
  process.exit(1)
}
/** name → scenarios to count */
const wanted = new Map()
for (const { contestant, versus, scenario } of targets) {
  for (const name of [contestant, versus]) wanted.set(name, new Set(wanted.get(name)).add(scenario))
}
const contestants = await Promise.all([...wanted.keys()].map((name) => loadContestant(name)))
console.log(
  `latchkey instruction counts: ${contestants.map((c) => c.name).join(', ')} · ${warmup} requests warm-up, ${requests} counted`,
)

const startedAt = new Date().toISOString()
const dir = await mkdtemp(join(tmpdir(), 'latchkey-callgrind-'))
const { running, unavailable } = await startServices(contestants.flatMap((c) => c.requires ?? []))
/** name → scenario → { main, all } per request */
const counts = {}
try {
  for (const contestant of contestants) {
    const missing = (contestant.requires ?? []).find((service) => unavailable.has(service))
    if (missing) {
      console.log(`skipped ${contestant.name}: ${unavailable.get(missing)}`)
      continue
    }
    const env = {}
    for (const service of contestant.requires ?? []) env[service] = running.get(service).env
    const server = await startCountingServer(contestant.name, { env, dir })
    try {
      const pool = await createSessions(server.url, sessions)
      counts[contestant.name] = {}
      for (const scenario of wanted.get(contestant.name)) {
        const run = (amount) =>
          measure({ url: server.url, path: `/${scenario}`, cookies: pool, connections: 1, amount })
        await run(warmup)
        let done
        const total = await server.count(async () => {
          done = await run(requests)
        })
        if (done.ok !== done.requests || done.requests === 0)
          throw new Error(`${contestant.name} /${scenario}: ${done.requests - done.ok} failed`)
        const perRequest = { main: total.main / done.requests, all: total.all / done.requests }
        counts[contestant.name][scenario] = perRequest
        console.log(
          `  ${contestant.name.padEnd(28)} ${scenario.padEnd(5)} ${number(perRequest.main).padStart(10)} main thread  ${number(perRequest.all).padStart(10)} all threads`,
        )
      }
    } finally {
      await server.stop()
    }
  }
} finally {
  for (const service of running.values()) await service.stop()
  await rm(dir, { recursive: true, force: true })
}

const rows = instructionRows(targets, counts)
const report = { startedAt, settings: { warmup, requests, sessions }, rows }
const table = instructionTable(report)
console.log(`\n${table}`)
await mkdir(out, { recursive: true })
await writeFile(join(out, 'instructions.md'), table)
await writeFile(join(out, 'instructions.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`written to ${join(out, 'instructions.md')} and instructions.json`)
