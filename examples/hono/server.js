// latchkey on Hono (Node): `npm run build && node examples/hono/server.js`, then open http://127.0.0.1:3000
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/hono'
import { MemoryStore } from 'latchkey/stores/memory'

export function buildApp() {
  const sessions = new Sessions({ store: new MemoryStore() })
  const app = new Hono()
  app.use(latchkey(sessions))

  app.get('/', async (c) => {
    // Locked read-modify-write: concurrent requests of one session cannot lose a visit.
    const visits = await c.get('session').withLock((s) => {
      const n = (s.get('visits') ?? 0) + 1
      s.set('visits', n)
      return n
    })
    return c.json({ visits })
  })

  app.post('/reset', async (c) => {
    await c.get('session').destroy()
    return c.redirect('/', 303)
  })
  return { app, sessions }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildApp()
  const port = Number(process.env.PORT ?? 3000)
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) =>
    console.log(`latchkey on Hono: http://127.0.0.1:${info.port}`),
  )
}
