import { serve } from '@hono/node-server'
import express from 'express'
import { Hono } from 'hono'
import Koa from 'koa'
import { Sessions } from 'latchkey'
import { latchkey as lkExpress } from 'latchkey/express'
import { latchkey as lkHono } from 'latchkey/hono'
import { latchkey as lkKoa } from 'latchkey/koa'
import { MemoryStore } from 'latchkey/stores/memory'

const [fw, mode] = process.argv.slice(2)
const sessions = new Sessions({ store: new MemoryStore(), warnLock: false })
const use = mode === 'latchkey'
const manual = mode === 'core'
const read = async (s, cookie) => {
  if (manual) { const x = sessions.open({ cookie }); const n = (await x.get('n')) ?? null; await x.commit(); return { n } }
  return { n: s ? ((await s.get('n')) ?? null) : null }
}
const inc = async (s) => ({ n: await s.withLock((l) => { const n = (l.get('n') ?? 0) + 1; l.set('n', n); return n }) })
let server
const seed = async () => { const x = sessions.open({ cookie: undefined }); await x.withLock((l) => l.set('n', 1)); return (await x.commit())[0] }
if (fw === 'express') {
  const app = express()
  if (use) app.use(lkExpress(sessions))
  app.get('/hello', (req, res) => res.json({ hello: 1 }))
  app.get('/read', async (req, res) => res.json(await read(req.session, req.headers.cookie)))
  app.get('/inc', async (req, res) => manual ? res.append('set-cookie', await seed()).json({}) : res.json(await inc(req.session)))
  server = app.listen(0, '127.0.0.1')
} else if (fw === 'hono') {
  const app = new Hono()
  if (use) app.use(lkHono(sessions))
  app.get('/read', async (c) => c.json(await read(c.get('session'), c.req.header('cookie'))))
  app.get('/inc', async (c) => manual ? c.json({}, 200, { 'set-cookie': await seed() }) : c.json(await inc(c.get('session'))))
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
} else {
  const app = new Koa()
  if (use) app.use(lkKoa(sessions))
  app.use(async (ctx) => { if (manual && ctx.path === '/inc') { ctx.append('set-cookie', await seed()); ctx.body = {}; return }
    ctx.body = ctx.path === '/inc' ? await inc(ctx.session) : await read(ctx.session, ctx.get('cookie')) })
  server = app.listen(0, '127.0.0.1')
}
server.on('listening', () => process.send(server.address().port))
let mark
process.on('message', (m) => {
  if (m === 'start') mark = process.cpuUsage()
  else { const d = process.cpuUsage(mark); process.send({ cpu: d.user + d.system }) }
})
