import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, listen } from '../support/http.js'

const warnings: Array<{ code: string | undefined; message: string }> = []
const onWarning = (warning: Error & { code?: string }) =>
  warnings.push({ code: warning.code, message: warning.message })

describe('warnLock', () => {
  const app = Fastify()
  const quiet = Fastify()
  let base = ''
  let quietBase = ''
  beforeAll(async () => {
    process.on('warning', onWarning)
    await app.register(latchkey(new Sessions({ store: new MemoryStore() })))
    app.get('/unlocked', async (req) => {
      await req.session.set('a', 1)
      return { a: await req.session.get('a') }
    })
    app.get('/read', async (req) => ({
      a: (await req.session.get('a')) ?? null,
      keys: await req.session.keys(),
      has: await req.session.has('a'),
    }))
    app.get('/mixed', async (req) => {
      await req.session.set('a', 2)
      await using s = await req.session.lock()
      return { a: s.get('a') ?? null }
    })
    base = await listen(app)
    await quiet.register(latchkey(new Sessions({ store: new MemoryStore(), warnLock: false })))
    quiet.get('/unlocked', async (req) => ({ a: await req.session.get('a') }))
    quietBase = await listen(quiet)
  })
  afterAll(async () => {
    process.off('warning', onWarning)
    await app.close()
    await quiet.close()
  })

  it('warns with a code once per call site when data is written without the lock', async () => {
    const jar = new CookieJar()
    for (let i = 0; i < 3; i++) await jar.fetch(`${base}/unlocked`)
    await new Promise((resolve) => setImmediate(resolve))
    const unlocked = warnings.filter((w) => w.code === 'LATCHKEY_UNLOCKED_ACCESS')
    expect(unlocked).toHaveLength(1) // the set call site, once; the get does not warn
    expect(unlocked[0]?.message).toMatch(/await using s = await req\.session\.lock\(\)/)
  })

  it('does not warn for reads without the lock, as a read-only route makes them', async () => {
    const before = warnings.filter((w) => w.code === 'LATCHKEY_UNLOCKED_ACCESS').length
    const reply = await new CookieJar().fetch(`${base}/read`)
    await new Promise((resolve) => setImmediate(resolve))
    expect(reply.json()).toEqual({ a: null, keys: [], has: false })
    expect(warnings.filter((w) => w.code === 'LATCHKEY_UNLOCKED_ACCESS')).toHaveLength(before)
  })

  it('warns that unlocked writes are discarded when lock() follows them', async () => {
    const reply = await new CookieJar().fetch(`${base}/mixed`)
    await new Promise((resolve) => setImmediate(resolve))
    expect(reply.json()).toEqual({ a: null })
    expect(warnings.filter((w) => w.code === 'LATCHKEY_MIXED_ACCESS')).toHaveLength(1)
  })

  it('stays quiet with warnLock: false', async () => {
    const before = warnings.length
    await new CookieJar().fetch(`${quietBase}/unlocked`)
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings.length).toBe(before)
  })
})

describe('several managers', () => {
  it('refuses two managers with the same request property or cookie at registration', () => {
    const store = new MemoryStore()
    expect(() =>
      latchkey(new Sessions({ store }), new Sessions({ store, cookie: { name: 'OTHER' } })),
    ).toThrow(expect.objectContaining({ code: 'LATCHKEY_CONFIG' }))
    expect(() => latchkey(new Sessions({ store }), new Sessions({ store, name: 'cart' }))).toThrow(
      /cookie "SESSION"/,
    )
  })
})
