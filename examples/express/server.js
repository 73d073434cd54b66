// latchkey on Express: `npm run build && node examples/express/server.js`, then open http://127.0.0.1:3000
import express from 'express'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/express'
import { MemoryStore } from 'latchkey/stores/memory'

export function buildApp() {
  const sessions = new Sessions({ store: new MemoryStore() })
  const app = express()
  app.use(latchkey(sessions))

  app.get('/', async (req, res) => {
    // Locked read-modify-write: concurrent requests of one session cannot lose a visit.
    const visits = await req.session.withLock((s) => {
      const n = (s.get('visits') ?? 0) + 1
      s.set('visits', n)
      return n
    })
    res.json({ visits })
  })

  app.post('/reset', async (req, res) => {
    await req.session.destroy()
    res.redirect(303, '/')
  })
  return { app, sessions }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildApp()
  const port = Number(process.env.PORT ?? 3000)
  const server = app.listen(port, '127.0.0.1', () =>
    console.log(`latchkey on Express: http://127.0.0.1:${server.address().port}`),
  )
}
