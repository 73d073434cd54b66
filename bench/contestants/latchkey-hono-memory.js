// latchkey's Hono adapter with MemoryStore on @hono/node-server, the routes of
// latchkey-fastify-memory: /inc locked (withLock), /read unlocked, warnLock off.
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { latchkey } from 'latchkey/hono'
import { MemoryStore } from 'latchkey/stores/memory'
import { latchkeySessions } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-hono-memory',
  label: 'latchkey + MemoryStore (Hono)',
  baseline: 'hono-bare',
  peer: 'hono-sessions-memory',
  targets: [
    { scenario: 'read', versus: 'hono-bare', atLeast: 0.8 },
    { scenario: 'inc', versus: 'hono-sessions-memory', atLeast: 1 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  async create() {
    const sessions = latchkeySessions(new MemoryStore())
    const app = new Hono()
    app.use(latchkey(sessions))

    app.get('/new', async (c) => {
      await c.get('session').withLock((s) => s.set('n', 0))
      return c.json({ n: 0 })
    })
    app.get('/inc', async (c) =>
      c.json(
        await c.get('session').withLock((s) => {
          const n = (s.get('n') ?? 0) + 1
          s.set('n', n)
          return { n }
        }),
      ),
    )
    app.get('/read', async (c) => c.json({ n: (await c.get('session').get('n')) ?? null }))

    return createAdaptorServer({ fetch: app.fetch })
  },
}
