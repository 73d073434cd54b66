// latchkey's Koa adapter with MemoryStore, the routes of
// latchkey-fastify-memory (a switch on the path, as koa-bare): /inc locked
// (withLock), /read unlocked, warnLock off.
import { createServer } from 'node:http'
import Koa from 'koa'
import { latchkey } from 'latchkey/koa'
import { MemoryStore } from 'latchkey/stores/memory'
import { latchkeySessions } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-koa-memory',
  label: 'latchkey + MemoryStore (Koa)',
  baseline: 'koa-bare',
  peer: 'koa-session-memory',
  targets: [
    { scenario: 'read', versus: 'koa-bare', atLeast: 0.8 },
    { scenario: 'inc', versus: 'koa-session-memory', atLeast: 1 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  async create() {
    const sessions = latchkeySessions(new MemoryStore())
    const app = new Koa()
    app.use(latchkey(sessions))
    app.use(async (ctx) => {
      if (ctx.method !== 'GET') return
      switch (ctx.path) {
        case '/new':
          await ctx.session.withLock((s) => s.set('n', 0))
          ctx.body = { n: 0 }
          return
        case '/inc':
          ctx.body = await ctx.session.withLock((s) => {
            const n = (s.get('n') ?? 0) + 1
            s.set('n', n)
            return { n }
          })
          return
        case '/read':
          ctx.body = { n: (await ctx.session.get('n')) ?? null }
      }
    })
    return createServer(app.callback())
  },
}
