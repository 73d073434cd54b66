import { readdir } from 'node:fs/promises'

/**
 * A benchmark contestant: one file in bench/contestants/<name>.js whose default
 * export has this shape. See docs/performance.md, "Adding a contestant".
 *
 * @typedef {object} Contestant
 * @property {string} name          the file name without `.js`
 * @property {string} label         what the table shows
 * @property {string[]} [requires]  services the runner must start first, e.g. ['redis']
 * @property {string} [baseline]    the bare framework it is compared with (column "× bare")
 * @property {string} [peer]        the peer library it is compared with (column "× peer")
 * @property {Target[]} [targets]   goals checked after the run
 * @property {Record<string, string>} [skip]  scenario → why it does not apply
 * @property {(env: ServiceEnv) => Promise<import('node:http').Server>} create
 *   builds the app and returns its Node http.Server, not yet listening
 */

/**
 * A goal: a throughput ratio to another contestant in one scenario, or a bound
 * on lost updates in the hot-session scenario.
 *
 * @typedef {{ scenario: string, versus: string, atLeast: number }
 *   | { scenario: 'hot', maxLostUpdates: number }} Target
 */

/**
 * Connection details of the services the runner started, by service name,
 * e.g. `{ redis: { host, port, url } }`.
 *
 * @typedef {Record<string, { host: string, port: number, url: string }>} ServiceEnv
 */

const DIRECTORY = new URL('../contestants/', import.meta.url)
const NAME = /^[a-z0-9][a-z0-9-]*$/

/** Names of every contestant file, in run order (see {@link runOrder}). */
export async function contestantNames() {
  const files = (await readdir(DIRECTORY)).filter((file) => file.endsWith('.js')).sort()
  const contestants = await Promise.all(files.map((file) => loadContestant(file.slice(0, -3))))
  return runOrder(contestants).map((contestant) => contestant.name)
}

/**
 * The order a run measures contestants in, so that each ratio compares runs a
 * minute or two apart rather than the length of the whole run: load from other
 * work on the machine comes and goes, and a baseline measured first and its
 * contestant ten minutes later can meet very different machines. Each bare
 * framework comes first, then each contestant with targets against it, each
 * followed at once by the contestants its targets name (a peer from another
 * framework's family too; one an earlier contestant named already stays just
 * before it); then the rest of its family; contestants whose
 * baseline is not selected come last. Alphabetical within each step.
 *
 * @template {Pick<Contestant, 'name' | 'baseline' | 'targets'>} T
 * @param {T[]} contestants
 * @returns {T[]}
 */
export function runOrder(contestants) {
  const sorted = [...contestants].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const byName = new Map(sorted.map((contestant) => [contestant.name, contestant]))
  const named = new Set(
    sorted.flatMap((contestant) => (contestant.targets ?? []).map((target) => target.versus)),
  )
  const placed = new Set()
  const ordered = []
  const place = (contestant) => {
    if (contestant === undefined || placed.has(contestant.name)) return
    placed.add(contestant.name)
    ordered.push(contestant)
  }
  for (const baseline of sorted.filter((contestant) => contestant.baseline === undefined)) {
    place(baseline)
    const family = sorted.filter((contestant) => contestant.baseline === baseline.name)
    for (const contestant of family.filter((member) => member.targets?.length)) {
      place(contestant)
      for (const target of contestant.targets ?? []) place(byName.get(target.versus))
    }
    for (const contestant of family) if (!named.has(contestant.name)) place(contestant)
  }
  for (const contestant of sorted) place(contestant)
  return ordered
}

/**
 * Imports and checks one contestant.
 * @param {string} name
 * @returns {Promise<Contestant>}
 */
export async function loadContestant(name) {
  if (!NAME.test(name)) throw new Error(`not a contestant name: ${JSON.stringify(name)}`)
  let module
  try {
    module = await import(new URL(`${name}.js`, DIRECTORY).href)
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(`${name}.js`)) {
      throw new Error(`no contestant "${name}" (no file bench/contestants/${name}.js)`)
    }
    throw error
  }
  /** @type {Contestant} */
  const contestant = module.default
  const problem = check(contestant, name)
  if (problem) throw new Error(`bench/contestants/${name}.js: ${problem}`)
  return contestant
}

function check(contestant, name) {
  if (!contestant || typeof contestant !== 'object') return 'needs a default export'
  if (contestant.name !== name) return `name must be "${name}" (the file name)`
  if (typeof contestant.label !== 'string') return 'needs a label'
  if (typeof contestant.create !== 'function') return 'needs an async create(env)'
  if (contestant.requires !== undefined && !Array.isArray(contestant.requires))
    return 'requires must be an array of service names'
  return undefined
}
