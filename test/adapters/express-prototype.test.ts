import { IncomingMessage, ServerResponse } from 'node:http'
import express5, { type RequestHandler } from 'express'
import express4 from 'express4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/express/index.js'
import { Sessions } from '../../src/index.js'
import { CountingStore } from '../support/counting-store.js'
import { CookieJar, request, type Served, served } from '../support/http.js'

/** A middleware that wraps res.end as compression-like middleware does. */
const wrapEnd: RequestHandler = (_req, res, next) => {
  const end = res.end
  res.end = function (this: typeof res, ...args: unknown[]) {
    this.setHeader('x-wrapped', '1')
    return (end as (...a: unknown[]) => typeof res).apply(this, args)
  } as typeof res.end
  next()
}

/** The own properties of the prototypes every request and response of the process share. */
function sharedPrototypes(
  createApp: typeof express5 | typeof express4,
  app: { request: object; response: object },
): Map<string, unknown> {
  const found = new Map<string, unknown>()
  const shared = {
    'app.request': app.request,
    'app.response': app.response,
    'express.request': createApp.request,
    'express.response': createApp.response,
    'http.IncomingMessage': IncomingMessage.prototype,
    'http.ServerResponse': ServerResponse.prototype,
  }
  for (const [where, proto] of Object.entries(shared)) {
    for (const key of Reflect.ownKeys(proto)) {
      const { value, get, set } = Object.getOwnPropertyDescriptor(proto, key) ?? {}
      found.set(`${where}.${String(key)}`, value ?? [get, set])
    }
  }
  return found
}

describe.each([
  ['express 4', express4],
  ['express 5', express5],
])('%s', (_name, createApp) => {
  const store = new CountingStore()
  const sessions = new Sessions({ store, warnLock: false })
  const other = new Sessions({ store, warnLock: false, name: 'other', cookie: { name: 'OTHER' } })
  const servers: Served[] = []
  let wrapped = ''
  let twice = ''
  let plain = ''
  let assigning = ''

  beforeAll(async () => {
    const first = createApp()
    first.use(wrapEnd)
    first.use(latchkey(sessions))
    first.get('/inc', async (req, res) => {
      const n = ((await req.session.get('n')) as number | undefined) ?? 0
      await req.session.set('n', n + 1)
      res.json({ n: n + 1 })
    })
    first.get('/untouched', (_req, res) => {
      res.json({ ok: true })
    })

    const second = createApp()
    second.use(latchkey(sessions))
    second.use(latchkey(other))
    second.get('/both', async (req, res) => {
      await req.session.set('n', 1)
      await (req as unknown as { other: typeof req.session }).other.set('n', 2)
      res.json({ ok: true })
    })

    const third = createApp()
    third.get('/', (req, res) => {
      res.json({ session: req.session === undefined ? 'none' : 'some' })
    })

    const fourth = createApp()
    fourth.use((req, _res, next) => {
      ;(req as unknown as { session: unknown }).session = { own: true }
      next()
    })
    fourth.get('/', (req, res) => {
      res.json(req.session)
    })

    for (const app of [first, second, third, fourth])
      servers.push(await served(app.listen(0, '127.0.0.1')))
    ;[wrapped, twice, plain, assigning] = servers.map((server) => server.url) as [
      string,
      string,
      string,
      string,
    ]
  })

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
    await sessions.close()
  })

  it('a middleware that wrapped res.end before latchkey still runs, and the cookie is sent', async () => {
    const jar = new CookieJar()
    for (let n = 1; n <= 3; n++) {
      const reply = await jar.fetch(`${wrapped}/inc`)
      expect(reply.json()).toEqual({ n })
      expect(reply.headers.get('x-wrapped')).toBe('1')
      if (n === 1) expect(reply.setCookies[0]).toMatch(/^SESSION=/)
    }
  })

  it('a route that never reads the session opens none and sets no cookie', async () => {
    const reads = store.calls.get
    const reply = await request(`${wrapped}/untouched`, { headers: { cookie: 'SESSION=abc' } })
    expect(reply.json()).toEqual({ ok: true })
    expect(reply.setCookies).toEqual([])
    expect(store.calls.get).toBe(reads)
  })

  it('two latchkey() middlewares on one app both save and send their cookies', async () => {
    const reply = await request(`${twice}/both`)
    expect(reply.status).toBe(200)
    expect(reply.setCookies.map((cookie) => cookie.split('=')[0]).sort()).toEqual([
      'OTHER',
      'SESSION',
    ])
  })

  it('an app without latchkey in the same process answers as usual, without a session', async () => {
    const reply = await request(`${plain}/`)
    expect(reply.json()).toEqual({ session: 'none' })
    expect(reply.setCookies).toEqual([])
  })

  it('an app that assigns req.session itself reads back its own value', async () => {
    const reply = await request(`${assigning}/`)
    expect(reply.json()).toEqual({ own: true })
  })

  it('changes no prototype that other requests and responses share', async () => {
    const app = createApp()
    app.use(latchkey(sessions))
    app.get('/inc', async (req, res) => {
      const n = ((await req.session.get('n')) as number | undefined) ?? 0
      await req.session.set('n', n + 1)
      res.json({ n: n + 1 })
    })
    const server = await served(app.listen(0, '127.0.0.1'))
    const before = sharedPrototypes(createApp, app)
    const jar = new CookieJar()
    for (let n = 1; n <= 2; n++)
      expect((await jar.fetch(`${server.url}/inc`)).json()).toEqual({ n })
    await server.close()
    expect(sharedPrototypes(createApp, app)).toEqual(before)
  })
})
