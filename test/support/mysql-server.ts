import { type ChildProcess, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import {
  type DatabaseServer,
  describeWhen,
  exitOf,
  freePort,
  signal,
  spawnLogged,
  tempDir,
  waitReady,
} from './database-server.js'

/** Where the MariaDB server binaries live (Debian/Ubuntu layout). */
export const MARIADB_BIN = process.env.LATCHKEY_MARIADB_BIN ?? '/usr/sbin/mariadbd'
const INSTALL_DB = process.env.LATCHKEY_MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db'

/** Whether `mariadb-install-db` and `mariadbd` can be run here. */
export function mysqlAvailable(): boolean {
  return existsSync(MARIADB_BIN) && existsSync(INSTALL_DB)
}

/** `describe` for suites that need a real MySQL-compatible server (see describeWhen). */
export const describeWithMySQL = describeWhen(
  mysqlAvailable,
  'MariaDB',
  `MariaDB not found (${MARIADB_BIN}, ${INSTALL_DB}): apt-get install mariadb-server to run the MySQL suites`,
)

/** Connection settings of a running test server: a password user over TCP. */
export interface MySQLConnection {
  host: string
  port: number
  user: string
  password: string
  database: string
}

/** A MariaDB server owned by a test; `freeze` stops its one process. */
export interface MySQLServer extends DatabaseServer<MySQLConnection> {
  /** Shuts down cleanly and starts again on the same data directory and port. */
  restart(): Promise<void>
}

/** As root, mariadbd must be told to stay root (`--user=root`); it refuses otherwise. */
const asUser = () => (process.getuid?.() === 0 ? ['--user=root'] : [])

async function canConnect(socketPath: string): Promise<void> {
  const admin = await mysql.createConnection({ socketPath, user: 'root', connectTimeout: 1000 })
  await admin.end()
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
  const dir = await tempDir('latchkey-mysql-')
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
  const mariadbd = spawnLogged('mariadbd', MARIADB_BIN, [
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
  ])
  try {
    await waitReady(() => canConnect(socketPath), mariadbd)
  } catch (error) {
    mariadbd.child.kill('SIGKILL')
    throw error
  }
  return mariadbd.child
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
