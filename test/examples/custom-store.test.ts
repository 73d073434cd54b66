import { readFile } from 'node:fs/promises'
import Fastify from 'fastify'
// As a user runs it: from the built package, which the example imports too.
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/fastify'
import { storeConformance } from 'latchkey/testing'
import { describe, expect, it } from 'vitest'
import { MapStore } from '../../examples/custom-store/map-store.js'
import { CookieJar, listen } from '../support/http.js'

async function counterApp(sessions: Sessions<{ n: number }>) {
  const app = Fastify()
  await app.register(latchkey(sessions))
  app.get('/inc', async (req) => {
    await using s = await req.session.lock()
    const n = Number(s.get('n') ?? 0)
    // A pause inside the lock, as real work has: without the lock, the other manager's
    // requests would read the same n meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1))
    s.set('n', n + 1)
    return { n: s.get('n') }
  })
  app.get('/read', async (req) => ({ n: (await req.session.get('n')) ?? null }))
  return { app, base: await listen(app) }
}

describe('the worked example of docs/custom-store.md', () => {
  for (const c of storeConformance({ create: () => new MapStore(), capabilities: { lock: true } }))
    it.skipIf(c.skip)(c.name, c.run)

  it('is the file the docs show, word for word', async () => {
    const docs = await readFile(new URL('../../docs/custom-store.md', import.meta.url), 'utf8')
    const file = await readFile(
      new URL('../../examples/custom-store/map-store.ts', import.meta.url),
      'utf8',
    )
    expect(docs).toContain(`\`\`\`ts\n${file}\`\`\``)
  })

  it('serialises two managers that share it (two processes, as the store sees them): 120 locked increments split between them lose none', async () => {
    const store = new MapStore()
    const options = { store, warnLock: false, lock: { timeout: 20, lease: 2 } }
    const one = await counterApp(new Sessions<{ n: number }>(options))
    const two = await counterApp(new Sessions<{ n: number }>(options))
    const jar = new CookieJar()
    expect((await jar.fetch(`${one.base}/inc`)).json()).toEqual({ n: 1 })
    const replies = await Promise.all(
      Array.from({ length: 120 }, (_, i) => jar.fetch(`${i % 2 ? one.base : two.base}/inc`)),
    )
    expect(replies.map((reply) => reply.status)).toEqual(Array(120).fill(200))
    expect((await jar.fetch(`${one.base}/read`)).json()).toEqual({ n: 121 })
    await Promise.all([one.app.close(), two.app.close()])
  })
})
