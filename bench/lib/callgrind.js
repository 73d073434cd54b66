import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort } from './ports.js'

const SERVER = new URL('../server.js', import.meta.url).pathname
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
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue
    const total = totalOf(text) ?? 0
    all += total
    if (Number(name.slice(prefix.length)) === 1) main = total
  }
  if (main === 0) throw new Error(`no main-thread callgrind output named ${prefix}01`)
  return { main, all }
}

/**
 * Starts `node bench/server.js <name> <port>` under `valgrind --tool=callgrind`,
 * collecting nothing until {@link CountingServer.count} asks for it.
 *
 * @typedef {object} CountingServer
 * @property {string} url
 * @property {(run: () => Promise<void>) => Promise<Instructions>} count
 *   runs `run` between a zero and a dump of the counters
 * @property {() => Promise<void>} stop
 *
 * @param {string} name
 * @param {{ env: object, dir: string }} options  `dir`: where callgrind writes
 * @returns {Promise<CountingServer>}
 */
export async function startCountingServer(name, { env, dir }) {
  const port = await freePort()
  const base = join(dir, name)
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--separate-threads=yes',
      '--dump-instr=no',
      `--callgrind-out-file=${base}.%p`,
      process.execPath,
      SERVER,
      name,
      String(port),
    ],
    {
      env: { ...process.env, NODE_ENV: 'production', BENCH_ENV: JSON.stringify(env) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2000)
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    await exited
    clearTimeout(timer)
  }
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server "${name}" not ready under valgrind`)),
        START_TIMEOUT_MS,
      )
      child.once('message', (message) => {
        clearTimeout(timer)
        if (message?.type === 'ready') resolve(undefined)
        else reject(new Error(`server "${name}" said ${JSON.stringify(message)}`))
      })
      child.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`server "${name}" exited under valgrind: ${stderr.trim()}`))
      })
    })
  } catch (error) {
    await stop()
    throw error
  }

  let dumps = 0
  const control = (flag) =>
    new Promise((resolve, reject) => {
      const ctl = spawn('callgrind_control', [flag, String(child.pid)], { stdio: 'ignore' })
      ctl.once('error', reject)
      ctl.once('exit', (code) =>
        code === 0 ? resolve(undefined) : reject(new Error(`callgrind_control ${flag}: ${code}`)),
      )
    })
  const count = async (run) => {
    await control('-z')
    await run()
    await control('-d')
    dumps++
    const prefix = `${name}.${child.pid}.${dumps}-`
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
  return { url: `http://127.0.0.1:${port}`, count, stop }
}
