import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { describe, it } from 'vitest'

/** Where the MariaDB server binaries live (Debian/Ubuntu layout). */
export const MARIADB_BIN = process.env.LATCHKEY_MARIADB_BIN ?? '/usr/sbin/mariadbd'
const INSTALL_DB = process.env.LATCHKEY_MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db'

const MISSING = `MariaDB not found (${MARIADB_BIN}, ${INSTALL_DB}): apt-get install mariadb-server to run the MySQL suites`

/** Whether `mariadb-install-db` and `mariadbd` can be run here. */
export function mysqlAvailable(): boolean {
  return existsSync(MARIADB_BIN) && existsSync(INSTALL_DB)
}

/**
 * `describe` for suites that need a real MySQL-compatible server: skipped with
 * a message saying how to enable it when the binaries are missing, but failing
 * when `process.env.CI` is set (CI must never skip).
 */
export function describeWithMySQL(name: string, body: () => void): void {
  if (mysqlAvailable()) {
    describe(name, body)
  } else if (process.env.CI) {
    describe(name, () => {
      it('needs MariaDB', () => {
        throw new Error(MISSING)
      })
    })
  } else {
    console.warn(`Skipping "${name}": ${MISSING}`)
    describe.skip(`${name} (skipped: ${MISSING})`, body)
  }
}

/** Connection settings of a running test server: a password user over TCP. */
export interface MySQLConnection {
  host: string
  port: number
  user: string
  password: string
  database: string
}

/** A MariaDB server owned by a test: its own data directory and port. */
export interface MySQLServer {
  readonly connection: MySQLConnection
  readonly pid: number
  /** SIGSTOPs the server (one process): connected clients hang, new ones too. */
  freeze(): Promise<void>
  /** SIGCONTs what `freeze` stopped. */
  thaw(): Promise<void>
  /** Shuts down cleanly and starts again on the same data directory and port. */
  restart(): Promise<void>
  /** Shuts down, then removes the data directory. */
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}

/** As root, mariadbd must be told to stay root (`--user=root`); it refuses otherwise. */
const asUser = () => (process.getuid?.() === 0 ? ['--user=root'] : [])

async function waitReady(socketPath: string, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const failure = exited()
    if (failure) throw new Error(failure)
    try {
      const admin = await mysql.createConnection({ socketPath, user: 'root', connectTimeout: 1000 })
      await admin.end()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/**
 * Starts a throw-away MariaDB on a free loopback port: `mariadb-install-db`
 * into a temp dir, `mariadbd` without durability, then creates `database` and
 * a user with a password that reaches it over TCP.
 *
 * @example
 * ```ts
 * const server = await startMySQL()
 * const pool = mysql.createPool(server.connection)
 * // ...
 * await pool.end(); await server.stop()
 * ```
 */
export async function startMySQL(options: { database?: string } = {}): Promise<MySQLServer> {
  const database = options.database ?? 'latchkey_test'
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-mysql-'))
  const data = join(dir, 'data')
  const socketPath = join(dir, 'mysqld.sock')
  execFileSync(
    INSTALL_DB,
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...asUser(),
    ],
    { stdio: 'pipe' },
  )
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    let child: ChildProcess
    try {
      child = await launch(data, socketPath, port, join(dir, 'mysqld.pid'))
    } catch (error) {
      if (attempt < 3 && /bind|address already in use/i.test(String(error))) continue
      await rm(dir, { recursive: true, force: true })
      throw error
    }
    const connection: MySQLConnection = {
      host: '127.0.0.1',
      port,
      user: 'latchkey',
      password: 'latchkey-test-password',
      database,
    }
    const admin = await mysql.createConnection({ socketPath, user: 'root' })
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.query(`CREATE USER 'latchkey'@'%' IDENTIFIED BY '${connection.password}'`)
    await admin.query(`GRANT ALL ON ${database}.* TO 'latchkey'@'%'`)
    await admin.end()
    const relaunch = () => launch(data, socketPath, port, join(dir, 'mysqld.pid'))
    return server(connection, child, dir, relaunch)
  }
}

/** Starts `mariadbd` on an installed data directory; resolves once it accepts connections. */
async function launch(
  data: string,
  socketPath: string,
  port: number,
  pidFile: string,
): Promise<ChildProcess> {
  const child = spawn(
    MARIADB_BIN,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socketPath}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${pidFile}`,
      '--skip-name-resolve',
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-buffer-pool-size=32M',
      '--skip-log-bin',
      '--max-connections=300',
      ...asUser(),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString()
  })
  let exitCode: number | null | undefined
  child.once('exit', (code) => {
    exitCode = code
  })
  try {
    await waitReady(socketPath, () =>
      exitCode === undefined ? undefined : `mariadbd exited (${exitCode}):\n${log}`,
    )
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return child
}

function exitOf(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
}

function server(
  connection: MySQLConnection,
  first: ChildProcess,
  dir: string,
  relaunch: () => Promise<ChildProcess>,
): MySQLServer {
  let child = first
  const thaw = async () => signal(child.pid as number, 'SIGCONT')
  const shutdown = async () => {
    await thaw()
    const pid = child.pid as number
    const exited = exitOf(child)
    signal(pid, 'SIGTERM')
    const timer = setTimeout(() => signal(pid, 'SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  return {
    connection,
    get pid() {
      return child.pid as number
    },
    async freeze() {
      signal(child.pid as number, 'SIGSTOP')
    },
    thaw,
    async restart() {
      await shutdown()
      child = await relaunch()
    },
    async stop() {
      await shutdown()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
