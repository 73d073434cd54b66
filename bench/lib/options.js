import { parseArgs } from 'node:util'

const HELP = `npm run bench -- [options]

  --only a,b          run only these contestants (file names in bench/contestants/)
  --quick             short run: 3 s per scenario, 1 s warm-up
  --duration <s>      seconds per measured scenario (env BENCH_DURATION; default 10)
  --warmup <s>        seconds of discarded warm-up before each scenario (default 2)
  --connections <n>   concurrent connections (default 50)
  --sessions <n>      sessions the spread scenarios rotate over (default 1000)
  --rounds <n>        repeat the whole sequence n times: each contestant's median round,
                      and each ratio the median of the rounds' own ratios (default 1)
  --out <dir>         where latest.md and latest.json go (default bench/results)
  --cpu-prof          run each server under node --cpu-prof (profiles in <out>/profiles)
  --list              list the contestants and exit
  --help              this text`

/**
 * @typedef {object} BenchOptions
 * @property {string[] | undefined} only
 * @property {number} duration   seconds per measured scenario
 * @property {number} warmup     seconds of discarded warm-up per scenario
 * @property {number} connections
 * @property {number} sessions
 * @property {number} rounds
 * @property {string} out
 * @property {boolean} cpuProf
 * @property {boolean} list
 * @property {boolean} help
 * @property {string} helpText
 */

/** Reads the command line (and BENCH_DURATION) into bench options. */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      sessions: { type: 'string' },
      rounds: { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  const quick = values.quick
  /** @type {BenchOptions} */
  const options = {
    only: values.only === undefined ? undefined : nameList(values.only),
    duration: positive('duration', values.duration ?? env.BENCH_DURATION ?? (quick ? '3' : '10')),
    warmup: nonNegative('warmup', values.warmup ?? (quick ? '1' : '2')),
    connections: integer('connections', values.connections ?? '50'),
    sessions: integer('sessions', values.sessions ?? '1000'),
    rounds: integer('rounds', values.rounds ?? '1'),
    out: values.out ?? new URL('../results/', import.meta.url).pathname,
    cpuProf: values['cpu-prof'],
    list: values.list,
    help: values.help,
    helpText: HELP,
  }
  return options
}

/** The contestant names of an `--only a,b` option, blanks dropped. */
export function nameList(text) {
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
}

function positive(name, text) {
  const value = Number(text)
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} must be > 0, got ${text}`)
  return value
}

function nonNegative(name, text) {
  const value = Number(text)
  if (!(value >= 0) || !Number.isFinite(value))
    throw new Error(`--${name} must be >= 0, got ${text}`)
  return value
}

/** A positive integer option, or an error naming it. */
export function integer(name, text) {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${text}`)
  return value
}
