import { fork } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { freePort } from './ports.js'

const SERVER = new URL('../server.js', import.meta.url).pathname
const START_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 5_000

/**
 * Starts `node bench/server.js <name> <port>` on a free loopback port and
 * resolves once it listens.
 *
 * @param {string} name
 * @param {{ env: object, profileDir?: string | undefined }} options
 * @returns {Promise<{ url: string, cpuMicros: () => Promise<number>, stop: () => Promise<void> }>}
 */
export async function startServer(name, { env, profileDir }) {
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
  const child = fork(SERVER, [name, String(port)], {
    execArgv,
    env: { ...process.env, NODE_ENV: 'production', BENCH_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`server "${name}" not ready after ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      )
      child.once('message', (message) => {
        clearTimeout(timer)
        if (message?.type === 'ready') resolve(undefined)
        else reject(new Error(`server "${name}" said ${JSON.stringify(message)}`))
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
  return { url: `http://127.0.0.1:${port}`, cpuMicros, stop }
}
