// The latchkey demo: `npm start`, then open http://127.0.0.1:3000
import Fastify from 'fastify'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/fastify'
import { MemoryStore } from 'latchkey/stores/memory'
import { page } from './page.js'

export function buildDemo() {
  // Browsers accept Secure cookies from http://localhost and 127.0.0.1, so the defaults work here.
  const sessions = new Sessions({ store: new MemoryStore() })
  const app = Fastify({ logger: false })
  app.register(latchkey(sessions))

  app.get('/', async (req, reply) => {
    // A locked read-modify-write: concurrent requests of this session cannot lose a visit.
    const visits = await req.session.withLock((s) => {
      const n = (s.get('visits') ?? 0) + 1
      s.set('visits', n)
      return n
    })
    const data = await req.session.withLock((s) => s.all())
    reply.type('text/html; charset=utf-8')
    return page({ visits, data, id: req.session.id, options: sessions.options.cookie })
  })

  app.post('/reset', async (req, reply) => {
    await req.session.destroy()
    return reply.redirect('/', 303)
  })
  return { app, sessions }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildDemo()
  const port = Number(process.env.PORT ?? 3000)
  await app.listen({ port, host: '127.0.0.1' })
  console.log(`latchkey demo on http://127.0.0.1:${port}`)
}
