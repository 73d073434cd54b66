/**
 * examples/sveltekit as an app that installed latchkey: latchkey a directory
 * of its own in node_modules (not the repository linked), listed in
 * `dependencies`, and SvelteKit in `devDependencies` (as `npx sv create` lays
 * it out), so that adapter-node bundles SvelteKit and leaves the dependencies
 * external. The guard's `error()` must still be the app's SvelteKit: latchkey's
 * `svelte` export condition has Vite bundle it with the app.
 */
import { execFile, spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exitOf, signal } from '../support/database-server.js'
import { CookieJar } from '../support/http.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// Inside the repository: the app's other packages resolve from its node_modules.
const CACHE = join(ROOT, 'node_modules/.cache')
let dir = ''
let base = ''
let stop = async () => {}

beforeAll(async () => {
  await mkdir(CACHE, { recursive: true })
  dir = await mkdtemp(join(CACHE, 'latchkey-kit-install-'))
  const app = join(dir, 'app')
  const installed = join(app, 'node_modules/latchkey')
  await mkdir(installed, { recursive: true })
  await cp(join(ROOT, 'package.json'), join(installed, 'package.json'))
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
  await run(process.execPath, [
    tsc,
    '-p',
    join(ROOT, 'tsconfig.build.json'),
    '--outDir',
    join(installed, 'dist'),
  ])
  for (const file of ['src', 'package.json', 'svelte.config.js', 'vite.config.js', 'server.js'])
    await cp(join(ROOT, 'examples/sveltekit', file), join(app, file), { recursive: true })
  await cp(join(ROOT, 'examples/shared'), join(dir, 'shared'), { recursive: true })
  await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: app })

  const child = spawn(process.execPath, ['server.js'], {
    cwd: app,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  base = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output)
      if (match) resolve(match[0])
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('exit', (code) => reject(new Error(`the app exited (${code}):\n${output}`)))
  })
  stop = async () => {
    signal(child.pid as number, 'SIGTERM')
    await exitOf(child)
  }
}, 180_000)

afterAll(async () => {
  await stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('examples/sveltekit with latchkey installed, SvelteKit bundled by adapter-node', () => {
  it("the guard's error(401) is SvelteKit's own: 401 JSON, not a 500", async () => {
    const reply = await new CookieJar().fetch(`${base}/account`)
    expect(reply.status, reply.body).toBe(401)
    expect(reply.json()).toEqual({ error: 'Unauthorized', message: 'Login required' })
  })

  it('login, the guard, and a locked increment', async () => {
    const jar = new CookieJar()
    const login = await jar.fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice', password: 'wonderland' }),
    })
    expect(login.json()).toEqual({ user: 'alice' })
    expect((await jar.fetch(`${base}/account`)).json()).toEqual({ user: 'alice' })
    await jar.fetch(`${base}/inc`, { method: 'POST' })
    expect((await jar.fetch(`${base}/inc`, { method: 'POST' })).json()).toEqual({ n: 2 })
  })
})
