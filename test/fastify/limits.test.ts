import Fastify from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { MAX_SECONDS, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, listen } from '../support/http.js'

const store = new MemoryStore()
const sessions = new Sessions<{ n: number }>({ store, warnLock: false, ttl: MAX_SECONDS })
const app = Fastify()
let base = ''

beforeAll(async () => {
  await app.register(latchkey(sessions))
  app.get('/inc', async (req) =>
    req.session.withLock((s) => {
      s.set('n', Number(s.get('n') ?? 0) + 1)
      return { n: s.get('n') }
    }),
  )
  base = await listen(app)
})
afterAll(async () => {
  await app.close()
  await store.close()
})

it('serves a session with the largest accepted ttl: a valid cookie expiry, kept across requests', async () => {
  const jar = new CookieJar()
  const first = await jar.fetch(`${base}/inc`)
  expect(first.json()).toEqual({ n: 1 })
  const [cookie] = first.setCookies
  const expires = Date.parse(/Expires=([^;]+)/.exec(cookie ?? '')?.[1] ?? '')
  expect(expires).toBeGreaterThan(Date.now() + (MAX_SECONDS - 60) * 1000)
  expect(new Date(expires).getUTCFullYear()).toBeLessThan(9999)
  expect(cookie).toContain(`Max-Age=${MAX_SECONDS}`)
  expect((await jar.fetch(`${base}/inc`)).json()).toEqual({ n: 2 })
})
