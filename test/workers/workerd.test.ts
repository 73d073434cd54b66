/**
 * latchkey inside workerd, the Cloudflare Workers runtime, through Miniflare:
 * the package's entries bundled as a worker would deploy them, no Node globals
 * at import time, the lock, cookies, login and logout.
 */

import { readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleWorker } from './bundle.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * NestJS runs on Node's HTTP platforms only: its `@nestjs/common`, which
 * `latchkey/nest` imports, needs Node's `stream` and `util` and does not bundle for workerd.
 */
const NODE_ONLY = new Set(['./nest'])

/** Every entry of the package (`exports`) but the Node-only ones, as its source file. */
function entries(): Array<{ entry: string; source: string }> {
  const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    exports: Record<string, { import?: string }>
  }
  return Object.entries(manifest.exports).flatMap(([entry, target]) =>
    target.import === undefined || NODE_ONLY.has(entry)
      ? []
      : [{ entry, source: target.import.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts') }],
  )
}

it('imports every entry of the package but latchkey/nest in workerd', async () => {
  const list = entries()
  const script = [
    ...list.map(({ source }, i) => `import * as entry${i} from '${source}'`),
    `const loaded = { ${list.map(({ entry }, i) => `'${entry}': Object.keys(entry${i}).length`).join(', ')} }`,
    'export default { fetch: () => Response.json(loaded) }',
  ].join('\n')
  const worker = new Miniflare({
    modules: true,
    script: await bundleWorker({ contents: script }),
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
  })
  try {
    const loaded = (await (await worker.dispatchFetch('http://worker.test/')).json()) as Record<
      string,
      number
    >
    expect(Object.keys(loaded)).toEqual(list.map(({ entry }) => entry))
    for (const [entry, exported] of Object.entries(loaded))
      expect(exported, `${entry} exports something`).toBeGreaterThan(0)
  } finally {
    await worker.dispose()
  }
}, 60_000)

/** A cookie jar over Miniflare's dispatchFetch, one value per cookie name. */
class Browser {
  readonly #cookies = new Map<string, string>()
  constructor(readonly worker: Miniflare) {}

  async get(path: string): Promise<{ status: number; body: unknown }> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await this.worker.dispatchFetch(`http://worker.test${path}`, {
      headers: cookie ? { cookie } : {},
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const value = pair.slice(at + 1)
      if (value === '' || /Max-Age=0/.test(line)) this.#cookies.delete(pair.slice(0, at))
      else this.#cookies.set(pair.slice(0, at), value)
    }
    const text = await response.text()
    return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text }
  }
}

/** Compatibility dates: a current one, and one from before `nodejs_compat` gave Workers a `process`. */
const RUNTIMES = [
  { name: 'current compatibility date', compatibilityDate: '2025-09-01' },
  { name: 'a 2024-01 compatibility date (no process global)', compatibilityDate: '2024-01-01' },
]

describe.each(RUNTIMES)('latchkey in workerd, $name', ({ compatibilityDate }) => {
  let worker: Miniflare
  const logs: string[] = []
  beforeAll(async () => {
    worker = new Miniflare({
      modules: true,
      script: await bundleWorker(fileURLToPath(new URL('./worker.ts', import.meta.url))),
      compatibilityDate,
      compatibilityFlags: ['nodejs_compat'],
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        for (const stream of [stdout, stderr])
          stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()))
      },
    })
    await worker.ready
  }, 60_000)
  afterAll(async () => {
    await worker?.dispose()
  })

  it('loads the package (no Node-only assumption at import time) and serves', async () => {
    const browser = new Browser(worker)
    expect(await browser.get('/hono/inc')).toEqual({ status: 200, body: { n: 1 } })
    expect(await browser.get('/fetch/inc')).toEqual({ status: 200, body: { n: 2 } })
  })

  it('200 concurrent locked increments of one session lose none, on Hono and withSessions', async () => {
    const browser = new Browser(worker)
    await browser.get('/hono/inc')
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => browser.get(i % 2 ? '/hono/inc' : '/fetch/inc')),
    )
    expect(await browser.get('/fetch/inc')).toEqual({ status: 200, body: { n: 202 } })
  })

  it('keeps a session in the sealed cookie (CookieStore: node:crypto under nodejs_compat)', async () => {
    const browser = new Browser(worker)
    for (let n = 1; n <= 3; n++)
      expect(await browser.get('/hono/sealed-inc')).toEqual({ status: 200, body: { n } })
  })

  it('logs in, guards and logs out', async () => {
    const browser = new Browser(worker)
    expect((await browser.get('/hono/me')).status).toBe(401)
    await browser.get('/hono/login?name=grace')
    expect(await browser.get('/hono/me')).toEqual({
      status: 200,
      body: { user: { id: '1', name: 'grace' } },
    })
    expect((await browser.get('/fetch/me')).body).toEqual({ user: { id: '1', name: 'grace' } })
    await browser.get('/hono/logout')
    expect((await browser.get('/hono/me')).status).toBe(401)
  })

  it('warns with its code where process.emitWarning may be missing', async () => {
    const browser = new Browser(worker)
    expect((await browser.get('/hono/unlocked')).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(logs.join('')).toContain('LATCHKEY_UNLOCKED_ACCESS')
  })
})
