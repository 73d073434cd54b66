import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import pg from 'pg'
import { freePort } from './ports.js'

/**
 * A service the runner started for the contestants that require it.
 *
 * @typedef {object} RunningService
 * @property {{ host: string, port: number, url: string, user?: string, password?: string, database?: string }} env
 *   passed to `create(env)` as env[name]
 * @property {() => Promise<void>} reset  empties it between contestants
 * @property {() => Promise<void>} stop
 */

/**
 * Starters by service name. Each returns a RunningService, or a string saying
 * why the service cannot run here (the contestants needing it are skipped).
 *
 * @type {Record<string, () => Promise<RunningService | string>>}
 */
const STARTERS = {
  redis: startRedis,
  postgres: startPostgres,
  mysql: startMySQL,
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

/** Where the PostgreSQL 15 server binaries live (Debian/Ubuntu layout), as in the test suites. */
const POSTGRES_BIN = process.env.LATCHKEY_PG_BIN ?? '/usr/lib/postgresql/15/bin'
const POSTGRES_DATABASE = 'latchkey_bench'

/**
 * A throw-away PostgreSQL 15 like test/support/postgres-server.ts starts:
 * initdb into a temp dir, durability off (fsync, synchronous_commit, full page
 * writes: the bench measures the session libraries, not the disk), one
 * database. Reset drops and recreates the public schema, so each contestant
 * creates its own table in an empty database.
 */
async function startPostgres() {
  if (!existsSync(join(POSTGRES_BIN, 'initdb')) || !existsSync(join(POSTGRES_BIN, 'postgres')))
    return `PostgreSQL 15 not found in ${POSTGRES_BIN} (apt-get install postgresql-15)`
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-bench-pg-'))
  const user = postgresUser()
  if (user.uid !== undefined) await chown(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  execFileSync(
    join(POSTGRES_BIN, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
    { stdio: 'pipe', ...user },
  )
  const port = await freePort()
  const settings = [
    'listen_addresses=127.0.0.1',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'shared_buffers=64MB',
    'max_connections=200',
  ]
  const child = spawn(
    join(POSTGRES_BIN, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, ...settings.flatMap((s) => ['-c', s])],
    { stdio: ['ignore', 'ignore', 'pipe'], ...user },
  )
  let log = ''
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-4000)
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT') // fast shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    await rm(dir, { recursive: true, force: true })
  }
  const connection = { host: '127.0.0.1', port, user: 'postgres' }
  const admin = (database) =>
    new pg.Client({ ...connection, database, connectionTimeoutMillis: 1000 })
  const sql = async (database, text) => {
    const client = admin(database)
    client.on('error', () => {}) // a shutdown racing the client's own end is not a failure
    try {
      await client.connect()
      await client.query(text)
    } finally {
      await client.end().catch(() => {})
    }
  }
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}): ${log}`)
      await sql('postgres', 'SELECT 1')
      return true
    }, 30_000)
    await sql('postgres', `CREATE DATABASE ${POSTGRES_DATABASE}`)
  } catch (error) {
    await stop()
    throw new Error(`postgres did not start on port ${port}: ${error.message}`)
  }
  return {
    env: {
      ...connection,
      database: POSTGRES_DATABASE,
      url: `postgres://postgres@127.0.0.1:${port}/${POSTGRES_DATABASE}`,
    },
    reset: () => sql(POSTGRES_DATABASE, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public'),
    stop,
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user (initdb refuses root),
 * switched to in spawn itself rather than through runuser, as in the tests.
 */
function postgresUser() {
  if (process.getuid?.() !== 0) return {}
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

/** Where the MariaDB binaries live (Debian/Ubuntu layout), as in the test suites. */
const MARIADB_BIN = process.env.LATCHKEY_MARIADB_BIN ?? '/usr/sbin/mariadbd'
const MARIADB_INSTALL_DB = process.env.LATCHKEY_MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db'
const MYSQL_DATABASE = 'latchkey_bench'
const MYSQL_USER = 'latchkey'
const MYSQL_PASSWORD = 'latchkey-bench-password'

/**
 * A throw-away MariaDB like test/support/mysql-server.ts starts:
 * `mariadb-install-db` into a temp dir, `mariadbd` on a free loopback port
 * with durability off (no flush of the redo log at commit, no doublewrite
 * buffer, no binary log: the bench measures the session libraries, not the
 * disk), one database and a password user that reaches it over TCP, as an
 * application would; the runner's own statements go as root through the
 * socket in the temp dir. Reset drops and recreates the database (the user's
 * grant is by name and survives it), so each contestant creates its own table.
 */
async function startMySQL() {
  if (!existsSync(MARIADB_BIN) || !existsSync(MARIADB_INSTALL_DB))
    return `MariaDB not found (${MARIADB_BIN}, ${MARIADB_INSTALL_DB}): apt-get install mariadb-server`
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-bench-mysql-'))
  const data = join(dir, 'data')
  const socketPath = join(dir, 'mysqld.sock')
  // As root, mariadbd must be told to stay root; it refuses otherwise.
  const asUser = process.getuid?.() === 0 ? ['--user=root'] : []
  execFileSync(
    MARIADB_INSTALL_DB,
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...asUser,
    ],
    { stdio: 'pipe' },
  )
  const port = await freePort()
  const child = spawn(
    MARIADB_BIN,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socketPath}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      '--skip-name-resolve',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-doublewrite=0',
      '--innodb-buffer-pool-size=64M',
      '--skip-log-bin',
      '--max-connections=200',
      ...asUser,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-4000)
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM') // a normal shutdown
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    await rm(dir, { recursive: true, force: true })
  }
  const sql = async (...statements) => {
    const admin = await mysql.createConnection({ socketPath, user: 'root', connectTimeout: 1000 })
    try {
      for (const statement of statements) await admin.query(statement)
    } finally {
      await admin.end().catch(() => {})
    }
  }
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`mariadbd exited (${child.exitCode}): ${log}`)
      await sql('SELECT 1')
      return true
    }, 30_000)
    await sql(
      `CREATE DATABASE ${MYSQL_DATABASE}`,
      `CREATE USER '${MYSQL_USER}'@'%' IDENTIFIED BY '${MYSQL_PASSWORD}'`,
      `GRANT ALL ON ${MYSQL_DATABASE}.* TO '${MYSQL_USER}'@'%'`,
    )
  } catch (error) {
    await stop()
    throw new Error(`mariadbd did not start on port ${port}: ${error.message}`)
  }
  return {
    env: {
      host: '127.0.0.1',
      port,
      user: MYSQL_USER,
      password: MYSQL_PASSWORD,
      database: MYSQL_DATABASE,
      url: `mysql://${MYSQL_USER}:${MYSQL_PASSWORD}@127.0.0.1:${port}/${MYSQL_DATABASE}`,
    },
    reset: () => sql(`DROP DATABASE ${MYSQL_DATABASE}`, `CREATE DATABASE ${MYSQL_DATABASE}`),
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
