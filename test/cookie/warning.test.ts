import Fastify from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { Sessions } from '../../src/index.js'
import { CookieStore, generateKey } from '../../src/stores/cookie/index.js'
import { CookieJar, listen } from '../support/http.js'

const app = Fastify()
const warnings: Error[] = []
const onWarning = (warning: Error) => warnings.push(warning)
let base = ''

beforeAll(async () => {
  process.on('warning', onWarning)
  const sessions = new Sessions({ store: new CookieStore({ keys: generateKey() }) })
  await app.register(latchkey(sessions))
  app.get('/inc', async (req) => {
    await using s = await req.session.lock()
    s.set('n', ((s.get('n') as number | undefined) ?? 0) + 1)
    return { n: s.get('n') }
  })
  base = await listen(app)
})

afterAll(async () => {
  process.off('warning', onWarning)
  await app.close()
})

it('warns once that lock() on a cookie-held session only serialises within this process', async () => {
  const jar = new CookieJar()
  for (let i = 1; i <= 3; i++) expect((await jar.fetch(`${base}/inc`)).json()).toEqual({ n: i })
  await new Promise((resolve) => setImmediate(resolve))
  const stateless = warnings.filter(
    (warning) => (warning as Error & { code?: string }).code === 'LATCHKEY_STATELESS_LOCK',
  )
  expect(stateless).toHaveLength(1)
  expect(stateless[0]?.name).toBe('LatchkeyWarning')
  expect(stateless[0]?.message).toMatch(/only serialises requests within this process/)
})
