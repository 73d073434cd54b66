import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { hashSessionId } from '../../src/crypto/ids.js'
import { Sessions, type SessionsOptions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { FaultyStore } from '../support/faulty-store.js'
import { CookieJar, listen } from '../support/http.js'

const apps: FastifyInstance[] = []
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

async function serve(options: SessionsOptions) {
  const sessions = new Sessions(options)
  const app = Fastify()
  apps.push(app)
  await app.register(latchkey(sessions))
  app.get('/set', async (req) => {
    await req.session.withLock((s) => s.set('v', String((req.query as { v?: string }).v)))
    return { ok: true }
  })
  app.get('/regenerate', async (req) => req.session.regenerate().then(() => ({ ok: true })))
  app.get('/destroy', async (req) => req.session.destroy().then(() => ({ ok: true })))
  return { sessions, base: await listen(app) }
}

const keyOf = (jar: CookieJar) => hashSessionId(jar.get('SESSION') ?? '')

describe('primary + mirrors', () => {
  it('every write and delete reaches each mirror under the same hashed key and TTL', async () => {
    const primary = new MemoryStore()
    const mirrors = [new MemoryStore(), new MemoryStore()]
    const { base } = await serve({ store: primary, mirrors, warnLock: false })
    const jar = new CookieJar()
    await jar.fetch(`${base}/set?v=1`)
    const key = keyOf(jar)
    const original = await primary.get(key)
    for (const mirror of mirrors) expect(await mirror.get(key)).toEqual(original)

    await jar.fetch(`${base}/regenerate`)
    const rotated = keyOf(jar)
    for (const store of [primary, ...mirrors]) {
      expect(await store.get(key)).toBeUndefined()
      expect((await store.get(rotated))?.data).toEqual({ v: '1' })
    }

    await jar.fetch(`${base}/destroy`)
    for (const store of [primary, ...mirrors]) expect(await store.get(rotated)).toBeUndefined()
  })

  it("reports a failing mirror to onError with the store's name and still answers 200", async () => {
    const reports: Array<{ store: string; operation: string; code: unknown }> = []
    const broken = new FaultyStore('analytics')
    broken.broken = true
    const healthy = new MemoryStore()
    const { base } = await serve({
      store: new MemoryStore(),
      mirrors: [broken, healthy],
      warnLock: false,
      onError: (error, context) =>
        reports.push({ ...context, code: (error as { code?: string }).code }),
    })
    const jar = new CookieJar()
    expect((await jar.fetch(`${base}/set?v=1`)).status).toBe(200)
    expect(reports).toEqual([{ store: 'analytics', operation: 'set', code: 'LATCHKEY_STORE' }])
    expect(await healthy.get(keyOf(jar))).toBeDefined()
  })

  it("fails the request with 503 under mirrorFailure: 'fail'", async () => {
    const broken = new FaultyStore('analytics')
    broken.broken = true
    const { base } = await serve({
      store: new MemoryStore(),
      mirrors: [broken],
      mirrorFailure: 'fail',
      warnLock: false,
    })
    const reply = await new CookieJar().fetch(`${base}/set?v=1`)
    expect(reply.status).toBe(503)
    expect(reply.json()).toMatchObject({ code: 'LATCHKEY_STORE' })
  })

  it('a stalled mirror holds the lock no longer than mirrorTimeout', async () => {
    const slow = new FaultyStore('slow')
    slow.delayMs = 5000
    const reports: string[] = []
    const { base } = await serve({
      store: new MemoryStore(),
      mirrors: [slow],
      mirrorTimeout: 0.2,
      warnLock: false,
      onError: (_error, { store }) => reports.push(store),
    })
    const started = Date.now()
    const reply = await new CookieJar().fetch(`${base}/set?v=1`)
    expect(reply.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(reports).toEqual(['slow'])
  })

  it('addMirror and setPrimary follow the original add_interface / set_master_interface', async () => {
    const first = new MemoryStore()
    const second = new MemoryStore()
    const sessions = new Sessions({ store: first })
    sessions.addMirror(second)
    expect(sessions.mirrors).toEqual([second])
    const third = new MemoryStore()
    sessions.setPrimary(third, { keepOldAsMirror: true })
    expect(sessions.store).toBe(third)
    expect(sessions.mirrors).toEqual([second, first])
    sessions.setPrimary(second)
    expect(sessions.store).toBe(second)
    expect(sessions.mirrors).toEqual([first])
    expect(() => sessions.addMirror(first)).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })

  it('several managers on one app keep separate cookies, properties and locks', async () => {
    const store = new MemoryStore()
    const cart = new Sessions({ store, name: 'cart', cookie: { name: 'CART' }, warnLock: false })
    const prefs = new Sessions({ store, name: 'prefs', cookie: { name: 'PREFS' }, warnLock: false })
    const app = Fastify()
    apps.push(app)
    await app.register(latchkey(cart, prefs))
    app.get('/both', async (req) => {
      const r = req as unknown as Record<
        'cart' | 'prefs',
        { withLock: typeof req.session.withLock }
      >
      await r.cart.withLock(async (c) => {
        c.set('items', 1)
        await r.prefs.withLock((p) => p.set('theme', 'dark'))
      })
      return { ok: true }
    })
    const base = await listen(app)
    const jar = new CookieJar()
    const reply = await jar.fetch(`${base}/both`)
    expect(reply.setCookies.map((c) => c.split('=')[0])).toEqual(['CART', 'PREFS'])
    expect((await store.get(hashSessionId(jar.get('CART') ?? '')))?.data).toEqual({ items: 1 })
    expect((await store.get(hashSessionId(jar.get('PREFS') ?? '')))?.data).toEqual({
      theme: 'dark',
    })
  })
})
