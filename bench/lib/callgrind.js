import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startServer } from './server-process.js'

// Node under valgrind starts some fifty times slower than without it.
const START_TIMEOUT_MS = 180_000

/**
 * Instructions one server executed between a `zero` and a `dump`: its main
 * thread (where JavaScript runs) and all its threads (V8's compiler and GC,
 * libuv's pool) together.
 *
 * @typedef {{ main: number, all: number }} Instructions
 */

/**
 * The instruction total a callgrind output file reports (its `summary:` line,
 * or `totals:` in older formats); undefined when it has neither.
 * @param {string} text
 */
export function totalOf(text) {
  const line = text.match(/^summary: (\d+)/m) ?? text.match(/^totals: (\d+)/m)
  return line ? Number(line[1]) : undefined
}

/**
 * Sums one dump's files, which callgrind names `<base>.<pid>.<dump>-<thread>`
 * with `--separate-threads=yes`; thread 01 is the main thread.
 *
 * @param {Array<{ name: string, text: string }>} files every file in the output directory
 * @param {string} prefix `<base>.<pid>.<dump>-`
 * @returns {Instructions}
 */
export function dumpTotals(files, prefix) {
  let main = 0
  let all = 0
  for (const { name, text } of files) {
    const thread = name.slice(prefix.length)
    if (!name.startsWith(prefix) || !/^\d+$/.test(thread)) continue
    const total = totalOf(text) ?? 0
    all += total
    if (Number(thread) === 1) main = total
  }
  if (main === 0) throw new Error(`no main-thread callgrind output named ${prefix}01`)
  return { main, all }
}

/**
 * Starts the contestant's server (see `startServer`) under
 * `valgrind --tool=callgrind`; what it counts is read through `count`.
 *
 * @typedef {object} CountingServer
 * @property {string} url
 * @property {(run: () => Promise<unknown>) => Promise<Instructions>} count
 *   runs `run` between a zero and a dump of the counters
 * @property {() => Promise<void>} stop
 *
 * @param {string} name
 * @param {{ env: object, dir: string }} options  `dir`: where callgrind writes
 * @returns {Promise<CountingServer>}
 */
export async function startCountingServer(name, { env, dir }) {
  const wrapper = [
    'valgrind',
    '--quiet',
    '--tool=callgrind',
    '--separate-threads=yes',
    '--dump-instr=no',
    `--callgrind-out-file=${join(dir, name)}.%p`,
  ]
  const server = await startServer(name, { env, wrapper, startTimeoutMs: START_TIMEOUT_MS })
  const control = (flag) =>
    new Promise((resolve, reject) => {
      const ctl = spawn('callgrind_control', [flag, String(server.pid)], { stdio: 'ignore' })
      ctl.once('error', reject)
      ctl.once('exit', (code) =>
        code === 0 ? resolve(undefined) : reject(new Error(`callgrind_control ${flag}: ${code}`)),
      )
    })
  let dumps = 0
  const count = async (run) => {
    await control('-z')
    await run()
    await control('-d')
    dumps++
    const prefix = `${name}.${server.pid}.${dumps}-`
    // callgrind writes a dump's files while callgrind_control returns: wait for all of them.
    for (let attempt = 0; ; attempt++) {
      const names = (await readdir(dir)).filter((file) => file.startsWith(prefix))
      const files = await Promise.all(
        names.map(async (file) => ({ name: file, text: await readFile(join(dir, file), 'utf8') })),
      )
      if (files.length > 0 && files.every(({ text }) => totalOf(text) !== undefined))
        return dumpTotals(files, prefix)
      if (attempt === 50) throw new Error(`callgrind wrote no complete dump ${prefix}*`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  return { url: server.url, count, stop: server.stop }
}
