/**
 * The NestJS example of docs/frameworks.md, run as its user runs it: its
 * blocks compiled by tsc with Nest's decorator options (the behaviour matrix
 * applies decorators as calls; this is the decorator syntax, with
 * `emitDecoratorMetadata`), against a fresh build of the package, each
 * `main.ts` started with node and driven over HTTP.
 */
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Block,
  COMPILER_OPTIONS,
  createWorkspace,
  loadBlocks,
  PROJECTS,
  type Workspace,
} from '../docs/snippets.js'
import { freePort, type LoggedProcess, spawnLogged, waitReady } from '../support/database-server.js'
import { CookieJar, request } from '../support/http.js'

let workspace: Workspace | undefined
let blocks: Block[] = []

beforeAll(async () => {
  blocks = (await loadBlocks()).filter(
    (block) =>
      block.doc === 'docs/frameworks.md' &&
      (block.attributes.project === 'nest' || block.attributes.as === 'login.ts'),
  )
  workspace = await createWorkspace(blocks)
  const ws = workspace
  const program = ts.createProgram(
    blocks.map((block) => ws.path(block)),
    {
      ...COMPILER_OPTIONS,
      ...PROJECTS.nest,
      noEmit: false,
      rootDir: join(ws.dir, 'src'),
      outDir: join(ws.dir, 'out'),
    },
  )
  const { diagnostics } = program.emit()
  const errors = [...ts.getPreEmitDiagnostics(program), ...diagnostics]
  expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([])
}, 180_000)

afterAll(() => workspace?.remove())

const mains = [
  ['express', 'nest/main.js'],
  ['fastify', 'nest/main-fastify.js'],
] as const

describe.each(mains)('the docs example on Nest’s %s platform', (_platform, main) => {
  let server: LoggedProcess | undefined
  let base = ''

  beforeAll(async () => {
    const ws = workspace as Workspace
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    server = spawnLogged('nest', process.execPath, [join(ws.dir, 'out', main)], {
      cwd: ws.dir,
      env: { ...process.env, PORT: String(port) },
    })
    await waitReady(async () => {
      await fetch(`${base}/cart`)
    }, server)
  }, 60_000)

  afterAll(() => {
    server?.child.kill()
  })

  const json = { 'content-type': 'application/json' }

  it('200 concurrent locked additions to one cart with one cookie lose none', async () => {
    const jar = new CookieJar()
    expect((await jar.fetch(`${base}/cart?item=first`, { method: 'POST' })).status).toBe(201)
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        jar.fetch(`${base}/cart?item=${i}`, { method: 'POST' }),
      ),
    )
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 201))
    const { cart } = (await jar.fetch(`${base}/cart`)).json<{ cart: string[] }>()
    expect(cart).toHaveLength(201)
    expect(new Set(cart)).toEqual(
      new Set(['first', ...Array.from({ length: 200 }, (_, i) => `${i}`)]),
    )
  })

  it('the guard answers 401 without login; login gives a new id; logout closes it, also for the old cookie', async () => {
    const jar = new CookieJar()
    const denied = await jar.fetch(`${base}/account`)
    expect(denied.status).toBe(401)
    expect(denied.json()).toEqual({ error: 'Unauthorized', message: 'Login required' })
    expect(denied.headers.get('cache-control')).toBe('no-store')
    expect(denied.setCookies).toEqual([])
    const wrong = JSON.stringify({ username: 'demo', password: 'wrong' })
    expect(
      (await jar.fetch(`${base}/login`, { method: 'POST', body: wrong, headers: json })).status,
    ).toBe(401)
    const first = await jar.fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'demo', password: 'correct horse' }),
      headers: json,
    })
    expect(first.status).toBe(200)
    const id = jar.get('SECURE_SESSION')
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const again = await jar.fetch(`${base}/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'demo', password: 'correct horse' }),
      headers: json,
    })
    expect(again.status).toBe(200)
    expect(jar.get('SECURE_SESSION')).not.toBe(id)
    const old = jar.get('SECURE_SESSION')
    const account = await jar.fetch(`${base}/account`)
    expect(account.status).toBe(200)
    expect(account.json()).toEqual({ user: { id: '1', name: 'demo' } })
    expect((await jar.fetch(`${base}/logout`, { method: 'POST' })).status).toBe(200)
    expect(jar.get('SECURE_SESSION')).toBeUndefined()
    expect((await jar.fetch(`${base}/account`)).status).toBe(401)
    const replay = await request(`${base}/account`, { cookie: `SECURE_SESSION=${old}` })
    expect(replay.status).toBe(401)
  })
})
