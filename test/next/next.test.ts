/**
 * What `latchkey/next` does inside Next.js itself, against a real production
 * build (`next build` of test/next/app, served by `next start`): Server
 * Actions invoked over HTTP as the browser invokes them, Server Components
 * that try to write, and `requireLogin`'s answers. The example app
 * (examples/next) covers Route Handlers, proxy.js and a browser run.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  exitOf,
  freePort,
  type LoggedProcess,
  signal,
  spawnLogged,
  waitReady,
} from '../support/database-server.js'
import { CookieJar } from '../support/http.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const APP = fileURLToPath(new URL('./app/', import.meta.url))
const NEXT = createRequire(import.meta.url).resolve('next/dist/bin/next')
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }

let server: LoggedProcess
let base = ''
/** Server Action ids by exported name, from the build's manifest. */
let actions = new Map<string, string>()

beforeAll(async () => {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  execFileSync(process.execPath, [NEXT, 'build', APP], { cwd: ROOT, env: ENV, stdio: 'inherit' })
  const manifest = JSON.parse(
    readFileSync(`${APP}.next/server/server-reference-manifest.json`, 'utf8'),
  ) as { node: Record<string, { exportedName: string }> }
  actions = new Map(
    Object.entries(manifest.node).map(([id, { exportedName }]) => [exportedName, id]),
  )
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawnLogged(
    'next start',
    process.execPath,
    [NEXT, 'start', APP, '-p', `${port}`, '-H', '127.0.0.1'],
    {
      cwd: ROOT,
      env: ENV,
    },
  )
  await waitReady(async () => {
    await fetch(`${base}/read`)
  }, server)
}, 300_000)

afterAll(async () => {
  if (!server) return
  signal(server.child.pid as number, 'SIGTERM')
  await exitOf(server.child)
})

/** Invokes a Server Action as a form on `/` does: a POST naming the action, its arguments as JSON. */
function act(jar: CookieJar, name: string) {
  const id = actions.get(name)
  if (!id) throw new Error(`no Server Action ${name} in the build`)
  return jar.fetch(`${base}/`, {
    method: 'POST',
    headers: {
      'next-action': id,
      'content-type': 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
    },
    body: '[]',
  })
}

async function read(jar: CookieJar): Promise<{ n: number; user: string | null }> {
  return (await jar.fetch(`${base}/read`)).json()
}

describe('Server Actions (withSession)', () => {
  it('set the session cookie through cookies(), HttpOnly as configured', async () => {
    const jar = new CookieJar()
    const reply = await act(jar, 'increment')
    expect(reply.status).toBe(200)
    expect(reply.setCookies).toEqual([
      expect.stringMatching(
        /^SESSION=[A-Za-z0-9_-]{43}; Path=\/; Expires=.+; Max-Age=2592000; HttpOnly; SameSite=lax$/i,
      ),
    ])
    expect(await read(jar)).toEqual({ n: 1, user: null })
  })

  it('lose none of 200 concurrent locked increments of one session', async () => {
    const jar = new CookieJar()
    await act(jar, 'increment')
    const replies = await Promise.all(Array.from({ length: 200 }, () => act(jar, 'increment')))
    for (const reply of replies) expect(reply.status, reply.body).toBe(200)
    expect(await read(jar)).toEqual({ n: 201, user: null })
  })

  it('release the lock of an action that throws while holding it', async () => {
    const jar = new CookieJar()
    await act(jar, 'increment')
    expect((await act(jar, 'lockAndThrow')).status).toBe(500)
    // The lock's wait is 2 s: a lock left held would fail this one.
    const started = Date.now()
    expect((await act(jar, 'increment')).status).toBe(200)
    expect(Date.now() - started).toBeLessThan(1_500)
    // What the failed action wrote before throwing was saved with its release (n = -1), then counted on.
    expect(await read(jar)).toEqual({ n: 0, user: null })
  })

  it('log in with a new session id', async () => {
    const jar = new CookieJar()
    expect((await act(jar, 'logIn')).status).toBe(200)
    const first = jar.get('SECURE_SESSION')
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(await read(jar)).toEqual({ n: 0, user: 'alice' })
    await act(jar, 'logIn')
    expect(jar.get('SECURE_SESSION')).not.toBe(first)
  })
})

describe('Server Components', () => {
  it('cannot write through readSession(): a coded error that names the way out', async () => {
    const reply = await new CookieJar().fetch(`${base}/read-only-write`)
    expect(reply.body).toContain('LATCHKEY_USAGE: session.set() on a read-only session')
    expect(reply.body).toContain('in a Server Action (withSession) or a Route Handler')
    expect(reply.setCookies).toEqual([])
  })

  it('share one readSession() view per request and manager', async () => {
    expect((await new CookieJar().fetch(`${base}/read-twice`)).body).toContain(
      '<p id="outcome">one view</p>',
    )
  })

  it('cannot make a session with withSession(): a coded error instead of a lost cookie', async () => {
    const reply = await new CookieJar().fetch(`${base}/write-while-rendering`)
    expect(reply.body).toContain('LATCHKEY_USAGE: withSession() could not set the session cookie')
    expect(reply.setCookies).toEqual([])
  })

  it('requireLogin() answers 401 without redirectTo, a redirect with it, the user once logged in', async () => {
    const jar = new CookieJar()
    expect((await jar.fetch(`${base}/unauthorized`)).status).toBe(401)
    const redirected = await jar.fetch(`${base}/login-first`)
    expect(redirected.status).toBe(307)
    expect(redirected.headers.get('location')).toBe('/login?next=%2Flogin-first%3Ftab%3D2')
    await act(jar, 'logIn')
    const page = await jar.fetch(`${base}/unauthorized`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<p id="user">alice</p>')
  })
})
