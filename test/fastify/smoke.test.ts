import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, listen } from '../support/http.js'

describe('smoke', () => {
  const app = Fastify()
  const sessions = new Sessions<{ n: number }>({ store: new MemoryStore(), warnLock: false })
  let base = ''
  beforeAll(async () => {
    await app.register(latchkey(sessions))
    app.get('/inc', async (req) => {
      await using s = await req.session.lock()
      s.set('n', Number(s.get('n') ?? 0) + 1)
      return { n: s.get('n') }
    })
    app.get('/read', async (req) => ({ n: (await req.session.get('n')) ?? null }))
    base = await listen(app)
  })
  afterAll(() => app.close())

  it('increments under the lock', async () => {
    const jar = new CookieJar()
    const first = await jar.fetch(`${base}/inc`)
    expect(first.json()).toEqual({ n: 1 })
    expect(first.setCookies[0]).toMatch(
      /^SESSION=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; Expires=.* GMT; HttpOnly; Secure; SameSite=Lax$/,
    )
    await Promise.all(Array.from({ length: 200 }, () => jar.fetch(`${base}/inc`)))
    const read = await jar.fetch(`${base}/read`)
    expect(read.json()).toEqual({ n: 201 })
    expect(read.setCookies).toEqual([])
  })
})
