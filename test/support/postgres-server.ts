import { type ChildProcess, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
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

/** Where the PostgreSQL 15 server binaries live (Debian/Ubuntu layout). */
export const POSTGRES_BIN = process.env.LATCHKEY_PG_BIN ?? '/usr/lib/postgresql/15/bin'

/** Whether `initdb` and `postgres` can be run here. */
export function postgresAvailable(): boolean {
  return existsSync(join(POSTGRES_BIN, 'initdb')) && existsSync(join(POSTGRES_BIN, 'postgres'))
}

/** `describe` for suites that need a real PostgreSQL (see describeWhen). */
export const describeWithPostgres = describeWhen(
  postgresAvailable,
  'PostgreSQL 15',
  `PostgreSQL 15 not found in ${POSTGRES_BIN}: apt-get install postgresql-15 to run the PostgreSQL suites`,
)

/** Connection settings of a running test server. */
export interface PostgresConnection {
  host: string
  port: number
  user: string
  database: string
}

/**
 * A PostgreSQL server owned by a test. `freeze` stops the postmaster and
 * every backend.
 */
export type PostgresServer = DatabaseServer<PostgresConnection>

/**
 * As root, the binaries run as the `postgres` user (initdb refuses root). We
 * switch user in spawn rather than through `runuser`: runuser stops itself
 * when its child is stopped, so a SIGSTOP of the postmaster would leave it
 * stopped (and the server unreapable) after SIGCONT.
 */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {}
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8')
      // Field 4 (ppid) follows the command name, which is parenthesised and may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) children.push(Number(entry))
    } catch {
      // The process exited while we looked.
    }
  }
  return children
}

async function canConnect(connection: PostgresConnection): Promise<void> {
  const client = new pg.Client({
    ...connection,
    database: 'postgres',
    connectionTimeoutMillis: 1000,
  })
  try {
    await client.connect()
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * Starts a throw-away PostgreSQL 15 on a free loopback port: `initdb` into a
 * temp dir (as the `postgres` user when running as root), `postgres` with fsync
 * off and small buffers, then creates `database`.
 *
 * @example
 * ```ts
 * const server = await startPostgres()
 * const pool = new pg.Pool(server.connection)
 * // ...
 * await pool.end(); await server.stop()
 * ```
 */
export async function startPostgres(options: { database?: string } = {}): Promise<PostgresServer> {
  const database = options.database ?? 'latchkey_test'
  const dir = await tempDir('latchkey-pg-')
  const user = runAs()
  if (user.uid !== undefined) await chown(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  execFileSync(
    join(POSTGRES_BIN, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
    { stdio: 'pipe', ...user },
  )

  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const args = [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'shared_buffers=16MB',
      '-c',
      'max_connections=200',
    ]
    const postgres = spawnLogged('postgres', join(POSTGRES_BIN, 'postgres'), args, user)
    const connection: PostgresConnection = { host: '127.0.0.1', port, user: 'postgres', database }
    try {
      await waitReady(() => canConnect(connection), postgres)
    } catch (error) {
      postgres.child.kill('SIGKILL')
      if (attempt < 3 && /could not bind|address already in use/i.test(postgres.log())) continue
      await rm(dir, { recursive: true, force: true })
      throw error
    }
    const admin = new pg.Client({ ...connection, database: 'postgres' })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
    return server(connection, postgres.child, dir)
  }
}

function server(connection: PostgresConnection, child: ChildProcess, dir: string): PostgresServer {
  const pid = child.pid as number
  let frozen: number[] = []
  const exited = exitOf(child)
  const thaw = async () => {
    for (const stopped of frozen) signal(stopped, 'SIGCONT')
    frozen = []
  }
  return {
    connection,
    pid,
    async freeze() {
      // The postmaster first, so that it forks nothing new while we stop its children.
      signal(pid, 'SIGSTOP')
      frozen = [pid, ...(await childrenOf(pid))]
      for (const backend of frozen.slice(1)) signal(backend, 'SIGSTOP')
    },
    thaw,
    async stop() {
      await thaw()
      signal(pid, 'SIGINT')
      const timer = setTimeout(() => signal(pid, 'SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      await rm(dir, { recursive: true, force: true })
    },
  }
}
