import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../support/database-server.js'
import { ROOT, runCli } from './run-cli.js'

/** The CLI's connect deadline. */
const DEADLINE_MS = 3000
/** Slack over a run that connects to nothing, which measures the start-up on a busy machine. */
const SLACK_MS = 2000

/** How long the CLI takes to start and stop here and now, connecting to nothing. */
async function startUpMs(): Promise<number> {
  return (await runCli(['sessions', '--help'])).ms
}

describe('latchkey sessions: usage errors (exit code 2)', () => {
  it.each([
    [['list', '--user', 'u', '--url', 'not a url'], 'not a store URL: not a url'],
    [['list', '--user', 'u', '--url', 'ftp://host/x'], 'unknown store URL scheme ftp:'],
    [['list', '--user', 'u', '--url', 'sqlite:'], 'names no file'],
    [['list', '--user', 'u'], 'a store URL is required: pass --url or set LATCHKEY_STORE_URL'],
    [['frobnicate', '--url', 'redis://x'], 'unknown sessions command: frobnicate'],
    [['constructor', '--url', 'redis://x'], 'unknown sessions command: constructor'],
    [['list', '--url', 'redis://x'], 'list needs --user'],
    [['stats', '--user', 'u', '--url', 'redis://x'], 'stats takes no --user'],
    [['stats', '--colour', '--url', 'redis://x'], "Unknown option '--colour'"],
    [['stats', '--url'], "Option '--url <value>' argument missing"],
    [['stats', '--url', 'postgres://h/db', '--prefix', 'app:'], '--prefix is for Redis stores'],
    [['stats', '--url', 'redis://h', '--table', 't'], '--table is for SQL stores'],
    [['stats', '--url', 'mysql://h/db', '--schema', 'app'], '--schema is for PostgreSQL'],
    [[], 'a sessions command is required'],
  ])('%j', async (args, message) => {
    const run = await runCli(['sessions', ...args])
    expect(run.stderr).toContain(message)
    expect(run.stderr).toContain('Usage: latchkey sessions')
    expect(run.stdout).toBe('')
    expect(run.code).toBe(2)
  })

  it('reads the URL from LATCHKEY_STORE_URL, and keeps a password out of messages', async () => {
    const run = await runCli(['sessions', 'stats'], {
      env: { LATCHKEY_STORE_URL: 'postgres://admin:hunter2@[::1/db' },
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('not a store URL: postgres://…@[::1/db')
    expect(run.stderr).not.toContain('hunter2')
  })

  it('prints its help with exit code 0', async () => {
    const run = await runCli(['sessions', '--help'])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toContain('Exit codes: 0 done, 1 failed')
  })
})

describe('latchkey sessions: unreachable stores (exit code 1)', () => {
  it.each([
    ['redis', (port: number) => `redis://127.0.0.1:${port}`],
    ['postgres', (port: number) => `postgres://user@127.0.0.1:${port}/db`],
    ['mysql', (port: number) => `mysql://user:pw@127.0.0.1:${port}/db`],
  ])('%s: a refused connection fails at once, naming host:port', async (store, url) => {
    const port = await freePort()
    const baseline = await startUpMs()
    const run = await runCli(['sessions', 'stats', '--url', url(port)])
    expect(run.stderr).toContain(`latchkey: [${store}] cannot connect to 127.0.0.1:${port}:`)
    expect(run.stderr).not.toContain('Usage:')
    expect(run.code).toBe(1)
    // Well before the connect deadline: a refusal is not waited out.
    expect(run.ms).toBeLessThan(baseline + SLACK_MS)
  })

  it('a server that accepts but never answers fails at the connect deadline, without hanging', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as AddressInfo
    try {
      const baseline = await startUpMs()
      const run = await runCli([
        'sessions',
        'stats',
        '--url',
        `postgres://user@127.0.0.1:${port}/db`,
      ])
      expect(run.stderr).toContain(`[postgres] cannot connect to 127.0.0.1:${port}`)
      expect(run.code).toBe(1)
      expect(run.ms).toBeGreaterThanOrEqual(DEADLINE_MS)
      expect(run.ms).toBeLessThan(baseline + DEADLINE_MS + SLACK_MS)
    } finally {
      silent.close()
      silent.unref()
    }
  })

  it('a missing SQLite file is an error, not a new empty database', async () => {
    const run = await runCli(['sessions', 'stats', '--url', 'sqlite:/nonexistent/sessions.db'])
    expect(run).toMatchObject({ code: 1, stdout: '' })
    expect(run.stderr).toContain('no SQLite database at /nonexistent/sessions.db')
  })
})

describe('latchkey sessions: a missing client package (exit code 3)', () => {
  // The CLI's sources alone, where neither latchkey's node_modules nor the project has a client.
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-'))
    await cp(join(ROOT, 'src'), join(dir, 'src'), { recursive: true })
    await writeFile(join(dir, 'package.json'), '{"type":"module"}\n')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it.each([
    ['redis://127.0.0.1:6379', 'A redis:// URL needs one of these packages: ioredis, redis'],
    ['postgres://u@127.0.0.1/db', 'A postgres:// URL needs one of these packages: pg'],
    ['mariadb://u@127.0.0.1/db', 'A mysql:// URL needs one of these packages: mysql2, mariadb'],
  ])('%s', async (url, message) => {
    const run = await runCli(['sessions', 'stats', '--url', url], {
      cwd: dir,
      entry: join(dir, 'src/cli.ts'),
    })
    expect(run.stderr).toContain(message)
    expect(run.stderr).toContain('npm install')
    expect(run.code).toBe(3)
  })
})

describe('latchkey keygen', () => {
  it('still prints a CookieStore key', async () => {
    const run = await runCli(['keygen'])
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toMatch(/^[\w-]{43}=\n$/)
  })

  it('lists the sessions command in its help', async () => {
    const run = await runCli(['help'])
    expect(run.stdout).toContain('sessions   List, revoke, count and sweep')
  })
})
