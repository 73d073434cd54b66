import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './ports.js'

/**
 * A service the runner started for the contestants that require it.
 *
 * @typedef {object} RunningService
 * @property {{ host: string, port: number, url: string }} env  passed to `create(env)` as env[name]
 * @property {() => Promise<void>} reset  empties it between contestants
 * @property {() => Promise<void>} stop
 */

/**
 * Starters by service name. Each returns a RunningService, or a string saying
 * why the service cannot run here (the contestants needing it are skipped).
 *
 * Extension point for PostgreSQL (issue 5): add `postgres: startPostgres` that
 * runs `initdb` into a temp dir (as the `postgres` user when root, binaries in
 * /usr/lib/postgresql/<version>/bin), starts `postgres -k <dir> -p <free port>
 * -h 127.0.0.1`, waits for `pg_isready`, and returns `{ env: { host, port, url },
 * reset (drop and recreate the bench database), stop (pg_ctl stop -m fast, rm the dir) }`.
 *
 * @type {Record<string, () => Promise<RunningService | string>>}
 */
const STARTERS = {
  redis: startRedis,
}

/**
 * Starts every service the selected contestants require, once each.
 * @param {string[]} names
 * @returns {Promise<{ running: Map<string, RunningService>, unavailable: Map<string, string> }>}
 */
export async function startServices(names) {
  const running = new Map()
  const unavailable = new Map()
  for (const name of new Set(names)) {
    const start = STARTERS[name]
    if (!start) {
      unavailable.set(name, `no starter for service "${name}" in bench/lib/services.js`)
      continue
    }
    const service = await start()
    if (typeof service === 'string') unavailable.set(name, service)
    else running.set(name, service)
  }
  return { running, unavailable }
}

async function startRedis() {
  if (spawnSync('redis-server', ['--version']).error)
    return 'redis-server not found (apt-get install redis-server)'
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-bench-redis-'))
  const port = await freePort()
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  )
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitFor(async () => (await redisCommand(port, 'PING')).startsWith('+PONG'), 10_000)
  } catch (error) {
    await stop()
    throw new Error(`redis-server did not start on port ${port}: ${error.message}`)
  }
  return {
    env: { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}` },
    reset: async () => {
      await redisCommand(port, 'FLUSHALL')
    },
    stop,
  }
}

/** Sends one inline command and returns the first reply line. */
function redisCommand(port, command) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let reply = ''
    socket.setTimeout(2000, () => socket.destroy(new Error('timed out')))
    socket.once('connect', () => socket.write(`${command}\r\n`))
    socket.on('data', (chunk) => {
      reply += chunk
      if (reply.includes('\r\n')) {
        socket.end()
        resolve(reply.slice(0, reply.indexOf('\r\n')))
      }
    })
    socket.once('error', reject)
  })
}

async function waitFor(probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    try {
      if (await probe()) return
    } catch (error) {
      last = error
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw last ?? new Error('timed out')
}
