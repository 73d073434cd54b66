/** Fastify-only paths (test/adapters/matrix.test.ts has the shared behaviour). */
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { isSessionError, Sessions } from '../../src/index.js'
import { CookieJar, listen } from '../support/http.js'
import { OutageStore } from './outage-store.js'
import type { AppData } from './routes.js'

describe('fastify', () => {
  const store = new OutageStore()
  const sessions = new Sessions<AppData>({ store, warnLock: false })
  const app = Fastify()
  let base = ''

  beforeAll(async () => {
    await app.register(latchkey(sessions))
    app.setErrorHandler((error, _request, reply) => {
      reply.code(isSessionError(error) ? error.statusCode : 500).send({ mine: true })
    })
    app.get('/set', async (req) => {
      await req.session.set('n', 1)
      return { ok: true }
    })
    app.get('/read', async (req) => ({ n: (await req.session.get('n')) ?? null }))
    base = await listen(app)
  })

  afterAll(async () => {
    await app.close()
    await sessions.close()
  })

  it('the body of an app’s own error handler for a session error is kept', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${base}/set`)
    store.down = true
    const failed = await jar.fetch(`${base}/read`).finally(() => {
      store.down = false
    })
    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toBe('1')
    expect(failed.json()).toEqual({ mine: true })
  })
})
