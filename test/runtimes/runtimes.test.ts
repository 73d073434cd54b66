/**
 * latchkey on Bun and Deno for real: the runtimes from npm (`bun`, `deno`)
 * run test/runtimes/server.ts from the TypeScript sources, served by
 * `Bun.serve` and `Deno.serve`, and the same behaviour is checked over HTTP
 * with MemoryStore, CookieStore and, over a real redis-server, RedisStore.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CookieJar } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

const require = createRequire(import.meta.url)
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url))

/** Each runtime's binary as its npm package installs it, and how it runs the server. */
const RUNTIMES = [
  { name: 'Bun', command: bin('bun', 'bin/bun.exe'), args: [SERVER] },
  { name: 'Deno', command: bin('deno', 'deno'), args: ['run', '-A', '--sloppy-imports', SERVER] },
]

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

describeRedis('Bun and Deno, RedisStore', () => {
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
