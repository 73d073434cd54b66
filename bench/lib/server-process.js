import { spawn } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { freePort } from './ports.js'

const SERVER = new URL('../server.js', import.meta.url).pathname
const START_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 5_000

/**
 * Starts `node bench/server.js <name> <port>` on a free loopback port and
 * resolves once it listens. With `wrapper`, that command runs under it (e.g.
 * `['valgrind', '--tool=callgrind']`), which may need a longer `startTimeoutMs`.
 *
 * @param {string} name
 * @param {{ env: object, profileDir?: string | undefined, wrapper?: string[],
 *   startTimeoutMs?: number }} options
 * @returns {Promise<{ url: string, pid: number, cpuMicros: () => Promise<number>,
 *   stop: () => Promise<void> }>}
 */
export async function startServer(
  name,
  { env, profileDir, wrapper = [], startTimeoutMs = START_TIMEOUT_MS },
) {
  const port = await freePort()
  const execArgv = []
  if (profileDir) {
    await mkdir(profileDir, { recursive: true })
    execArgv.push(
      '--cpu-prof',
      '--cpu-prof-dir',
      profileDir,
      '--cpu-prof-name',
      `${name}.cpuprofile`,
    )
  }
  const argv = [...wrapper, process.execPath, ...execArgv, SERVER, name, String(port)]
  const child = spawn(/** @type {string} */ (argv[0]), argv.slice(1), {
    env: { ...process.env, NODE_ENV: 'production', BENCH_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )

  const stop = async () => {
    // No pid: the command could not be started (a wrapper that is not installed).
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server "${name}" not ready after ${startTimeoutMs} ms`)),
        startTimeoutMs,
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
      exited.then(({ code, signal }) => {
        clearTimeout(timer)
        reject(new Error(`server "${name}" exited before it was ready (${signal ?? code})`))
      })
    })
  } catch (error) {
    await stop()
    throw error
  }
  /** CPU time (user + system, µs) the server process used so far. */
  const cpuMicros = () =>
    new Promise((resolve) => {
      const answer = (message) => {
        if (message?.type !== 'cpu') return
        child.off('message', answer)
        resolve(message.usage.user + message.usage.system)
      }
      child.on('message', answer)
      child.send({ type: 'cpu' })
    })
  return {
    url: `http://127.0.0.1:${port}`,
    pid: /** @type {number} */ (child.pid),
    cpuMicros,
    stop,
  }
}
