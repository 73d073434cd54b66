/**
 * Every example app (`examples/<name>/server.js`) against the example-app
 * contract (DESIGN.md), from the outside, as `npm run example -- <name>` serves
 * it: built once (latchkey, then the framework's own production build where
 * the example has `build.js`), then probed over HTTP. Each runs once on its
 * default MemoryStore and twice at the same time on one SQLite file, where the
 * two processes share sessions and locks. The examples with pages have them
 * checked too (Next.js in Chromium, Nuxt's server-rendered count), and the Nuxt
 * example's `.output` also runs copied out of the repository.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exitOf, signal, tempDir } from '../support/database-server.js'
import { CookieJar } from '../support/http.js'
import { metricsOfTheExample } from './fastify-metrics.js'
import { nextInTheBrowser } from './next-browser.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const INCREMENTS = 200
/** The demo has its own pages and its own browser test (test/e2e/demo.test.ts). */
const NOT_ON_THE_CONTRACT = new Set(['demo'])
const EXAMPLES = readdirSync(`${ROOT}examples`).filter(
  (name) => existsSync(`${ROOT}examples/${name}/server.js`) && !NOT_ON_THE_CONTRACT.has(name),
)

interface Started {
  base: string
  stop(): Promise<void>
}

/** Starts `npm run example -- <name>` as built already; resolves once it prints its URL. */
function start(name: string, env: Record<string, string>): Promise<Started> {
  return listen(name, ['scripts/example.js', name], ROOT, {
    NODE_ENV: 'test',
    PORT: '0',
    LATCHKEY_EXAMPLE_BUILT: '1',
    ...env,
  })
}

/** Runs `node ...args` in `cwd`; resolves once it prints its URL. */
async function listen(
  name: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<Started> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not listen in 60 s:\n${output}`)),
      60_000,
    )
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[0])
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${output}`)))
  })
  return {
    base,
    async stop() {
      signal(child.pid as number, 'SIGTERM')
      await exitOf(child)
    },
  }
}

const json = { 'content-type': 'application/json' }

/** POST /inc from one cookie, `INCREMENTS` at once, spread over `bases`. */
async function incrementConcurrently(jar: CookieJar, bases: string[]): Promise<number[]> {
  const replies = await Promise.all(
    Array.from({ length: INCREMENTS }, (_, i) =>
      jar.fetch(`${bases[i % bases.length]}/inc`, { method: 'POST' }),
    ),
  )
  for (const reply of replies) expect(reply.status, reply.body).toBe(200)
  return replies.map((reply) => reply.json<{ n: number }>().n)
}

/** The contract's checks, against the processes at `bases` (one, or several sharing a store). */
function contract(bases: () => string[]): void {
  it(`${INCREMENTS} concurrent locked increments of one session lose none`, async () => {
    const jar = new CookieJar()
    const first = await jar.fetch(`${bases()[0]}/inc`, { method: 'POST' })
    expect(first.json()).toEqual({ n: 1 })
    const seen = await incrementConcurrently(jar, bases())
    expect(new Set(seen).size).toBe(INCREMENTS)
    expect(Math.max(...seen)).toBe(INCREMENTS + 1)
    for (const base of bases())
      expect((await jar.fetch(`${base}/read`)).json()).toEqual({ n: INCREMENTS + 1 })
  })

  it('reads 0 without a session', async () => {
    expect((await new CookieJar().fetch(`${bases()[0]}/read`)).json()).toEqual({ n: 0 })
  })

  it('login, the guard and logout', async () => {
    const jar = new CookieJar()
    const [here, there = here] = bases()
    expect((await jar.fetch(`${here}/account`)).status).toBe(401)
    const wrong = await jar.fetch(`${here}/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ user: 'alice', password: 'looking-glass' }),
    })
    expect(wrong.status).toBe(401)
    const login = await jar.fetch(`${here}/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ user: 'alice', password: 'wonderland' }),
    })
    expect(login.json()).toEqual({ user: 'alice' })
    const account = await jar.fetch(`${there}/account`)
    expect(account.json()).toEqual({ user: 'alice' })
    const stolen = jar.header as string
    expect((await jar.fetch(`${there}/logout`, { method: 'POST' })).json()).toEqual({ ok: true })
    expect((await jar.fetch(`${here}/account`)).status).toBe(401)
    // The cookie kept from before logout opens nothing any more.
    const replayed = await fetch(`${here}/account`, { headers: { cookie: stolen } })
    expect(replayed.status).toBe(401)
  })
}

/** The Nuxt example's page reads the session while Nuxt renders it on the server. */
function nuxtPage(bases: () => string[]): void {
  it('renders the session count in the server-rendered page', async () => {
    const jar = new CookieJar()
    const [here, there = here] = bases()
    for (let i = 0; i < 3; i++) await jar.fetch(`${here}/inc`, { method: 'POST' })
    const page = await jar.fetch(`${there}/`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('n = <output>3</output>')
    expect((await new CookieJar().fetch(`${there}/`)).body).toContain('n = <output>0</output>')
  })
}

/**
 * The Nuxt example's `.output`, copied out of the repository, runs on its own: Nitro's trace
 * put latchkey and the SQLite driver in `.output/server/node_modules`, and no `node_modules`
 * above it can make up for one it missed.
 */
function nuxtOutputAlone(): void {
  let server: Started | undefined
  let dir = ''
  beforeAll(async () => {
    dir = await tempDir('latchkey-nuxt-output-')
    const { cp } = await import('node:fs/promises')
    await cp(`${ROOT}examples/nuxt/.output`, `${dir}/.output`, { recursive: true })
    server = await listen('nuxt', ['.output/server/index.mjs'], dir, {
      NITRO_HOST: '127.0.0.1',
      NITRO_PORT: '0',
      SQLITE_PATH: `${dir}/sessions.db`,
    })
  }, 90_000)
  afterAll(async () => {
    await server?.stop()
    if (dir) await import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true }))
  })

  it('serves the contract from .output alone, on SQLite', async () => {
    const base = (server as Started).base
    const jar = new CookieJar()
    expect((await jar.fetch(`${base}/inc`, { method: 'POST' })).json()).toEqual({ n: 1 })
    expect((await jar.fetch(`${base}/inc`, { method: 'POST' })).json()).toEqual({ n: 2 })
    expect(existsSync(`${dir}/sessions.db`)).toBe(true)
  })
}

beforeAll(() => {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
}, 120_000)

describe.each(EXAMPLES)('examples/%s', (name) => {
  beforeAll(() => {
    if (existsSync(`${ROOT}examples/${name}/build.js`))
      execFileSync(process.execPath, [`examples/${name}/build.js`], { cwd: ROOT, stdio: 'inherit' })
  }, 600_000)

  describe('on its default MemoryStore', () => {
    let server: Started
    beforeAll(async () => {
      server = await start(name, {})
    }, 90_000)
    afterAll(() => server?.stop())
    contract(() => [server.base])
    // The examples with pages of their own (the demo has its own browser test).
    if (name === 'next') nextInTheBrowser(() => server.base)
    // The one example that serves Prometheus metrics of its sessions.
    if (name === 'fastify') metricsOfTheExample(() => server.base)
    if (name === 'nuxt') nuxtPage(() => [server.base])
  })

  describe('two processes on one SQLite file', () => {
    const servers: Started[] = []
    let removeDir = async () => {}
    beforeAll(async () => {
      const dir = await tempDir('latchkey-example-')
      removeDir = () => import('node:fs/promises').then((fs) => fs.rm(dir, { recursive: true }))
      const env = { SQLITE_PATH: `${dir}/sessions.db` }
      // One first: it creates the table; the second finds it made.
      servers.push(await start(name, env))
      servers.push(await start(name, env))
    }, 120_000)
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()))
      await removeDir()
    })
    contract(() => servers.map((server) => server.base))
    if (name === 'nuxt') nuxtPage(() => servers.map((server) => server.base))
  })

  if (name === 'nuxt') describe('its .output copied out of the repository', nuxtOutputAlone)
})
