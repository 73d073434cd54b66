// latchkey on Koa: `npm run build && node examples/koa/server.js`, then open http://127.0.0.1:3000
import Koa from 'koa'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/koa'
import { MemoryStore } from 'latchkey/stores/memory'

export function buildApp() {
  const sessions = new Sessions({ store: new MemoryStore() })
  const app = new Koa()
  app.use(latchkey(sessions))

  app.use(async (ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/reset') {
      await ctx.session.destroy()
      ctx.status = 303
      ctx.redirect('/')
      return
    }
    if (ctx.path !== '/') return // Koa answers 404
    // Locked read-modify-write: concurrent requests of one session cannot lose a visit.
    const visits = await ctx.session.withLock((s) => {
      const n = (s.get('visits') ?? 0) + 1
      s.set('visits', n)
      return n
    })
    ctx.body = { visits }
  })
  return { app, sessions }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildApp()
  const port = Number(process.env.PORT ?? 3000)
  const server = app.listen(port, '127.0.0.1', () =>
    console.log(`latchkey on Koa: http://127.0.0.1:${server.address().port}`),
  )
}
