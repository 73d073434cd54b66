import Koa from 'koa'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/koa/index.js'
import { Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { request, type Served, served } from '../support/http.js'

describe('koa', () => {
  const sessions = new Sessions({ store: new MemoryStore(), warnLock: false })
  const errors: unknown[] = []
  let server: Served
  let base = ''
  beforeAll(async () => {
    const app = new Koa()
    app.on('error', (error) => errors.push(error))
    app.use(latchkey(sessions))
    app.use(async (ctx) => {
      await ctx.session.set('raw', true)
      // The app answers on the raw response itself: the session is saved, the cookie cannot follow.
      ctx.respond = false
      ctx.res.writeHead(200, { 'content-type': 'text/plain' })
      ctx.res.end('raw')
    })
    server = await served(app.listen(0, '127.0.0.1'))
    base = server.url
  })
  afterAll(async () => {
    await server.close()
    await sessions.close()
  })

  it('a response the app wrote itself (ctx.respond = false) is left alone, without an error', async () => {
    const reply = await request(`${base}/`)
    expect(reply.status).toBe(200)
    expect(reply.body).toBe('raw')
    expect(reply.setCookies).toEqual([])
    expect(errors).toEqual([])
  })
})
