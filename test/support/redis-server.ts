import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, it } from 'vitest'

const run = promisify(execFile)

const MISSING = 'redis-server not found: apt-get install redis-server to run the Redis suites'

/** Whether `redis-server` and `redis-cli` can be run on this machine. */
export function redisAvailable(): boolean {
  return ['redis-server', 'redis-cli'].every(
    (binary) => spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0,
  )
}

/**
 * `describe` for a suite that needs Redis: skipped with a plain message when
 * redis-server is missing, failed instead when `CI` is set (CI never skips).
 */
export function describeRedis(name: string, body: () => void): void {
  if (redisAvailable()) {
    describe(name, body)
    return
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs redis-server', () => {
        throw new Error(MISSING)
      })
    })
    return
  }
  console.warn(`skipped "${name}": ${MISSING}`)
  describe.skip(`${name} (${MISSING})`, body)
}

/** One redis-server process started by a test. */
export class RedisProcess {
  readonly port: number
  readonly #child: ChildProcess
  readonly #exited: Promise<void>

  constructor(port: number, child: ChildProcess) {
    this.port = port
    this.#child = child
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** Stops the process (SIGSTOP): connections stay open, nothing is answered. */
  freeze(): void {
    this.#child.kill('SIGSTOP')
  }

  /** Resumes a frozen process (SIGCONT). */
  thaw(): void {
    this.#child.kill('SIGCONT')
  }

  /** Runs `redis-cli` against this server and returns its output. */
  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), ...args])
    return stdout
  }

  /**
   * Starts `redis-cli MONITOR`; `stop()` returns the commands clients sent
   * meanwhile (commands run inside scripts are left out), e.g. `['evalsha', ...]`.
   */
  async monitor(): Promise<{ stop(): Promise<string[][]> }> {
    const child = spawn('redis-cli', ['-h', '127.0.0.1', '-p', String(this.port), 'monitor'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    while (!output.includes('OK')) await new Promise((resolve) => setTimeout(resolve, 10))
    return {
      async stop() {
        // Let the last replies reach the monitor before it stops.
        await new Promise((resolve) => setTimeout(resolve, 100))
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGKILL')
        await exited
        return output
          .split('\n')
          .filter((line) => /^\d+\.\d+ \[\d+ 127\.0\.0\.1:\d+\] /.test(line))
          .map((line) =>
            [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').toLowerCase()),
          )
      },
    }
  }

  /** Kills the process at once (no persistence: nothing to flush). */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null)
      this.#child.kill('SIGKILL')
  }

  async stop(): Promise<void> {
    this.kill()
    await this.#exited
    live.delete(this)
  }
}

// Servers still running when the test process exits are killed with it.
const live = new Set<RedisProcess>()
process.once('exit', () => {
  for (const server of live) server.kill()
})

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** A free loopback port whose cluster bus port (+10000) is free as well. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000)
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) return port
  }
}

async function launch(dir: string, extra: string[], fixedPort?: number): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort())
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
        '--protected-mode',
        'no',
        ...extra,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const ready = await new Promise<boolean>((resolve) => {
      let output = ''
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('Ready to accept connections')) resolve(true)
      })
      child.once('exit', () => resolve(false))
    })
    child.stdout?.resume()
    child.stderr?.resume()
    if (ready) {
      const server = new RedisProcess(port, child)
      live.add(server)
      return server
    }
    if (attempt === 3) throw new Error(`redis-server did not start on port ${port}`)
  }
}

/** A standalone redis-server on a free loopback port, without persistence. */
export interface RedisServer {
  readonly server: RedisProcess
  /** Kills the server and starts an empty one on the same port, as after a crash. */
  restart(): Promise<void>
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>
}

export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-redis-'))
  let server = await launch(dir, [])
  return {
    get server() {
      return server
    },
    async restart() {
      await server.stop()
      server = await launch(dir, [], server.port)
    },
    async dispose() {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A 3-master Redis Cluster on loopback. */
export interface RedisCluster {
  readonly nodes: RedisProcess[]
  /** `{ host, port }` of every master, as cluster clients take them. */
  readonly rootNodes: Array<{ host: string; port: number }>
  dispose(): Promise<void>
}

export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-redis-cluster-'))
  const nodes: RedisProcess[] = []
  const dispose = async () => {
    await Promise.all(nodes.map((node) => node.stop()))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await launch(dir, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${i}.conf`,
          '--cluster-node-timeout',
          '2000',
        ]),
      )
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ])
    const deadline = Date.now() + 20_000
    for (const node of nodes) {
      while (!(await node.cli('cluster', 'info')).includes('cluster_state:ok')) {
        if (Date.now() > deadline)
          throw new Error('the Redis Cluster did not reach cluster_state:ok')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  } catch (error) {
    await dispose()
    throw error
  }
  return {
    nodes,
    rootNodes: nodes.map((node) => ({ host: '127.0.0.1', port: node.port })),
    dispose,
  }
}
