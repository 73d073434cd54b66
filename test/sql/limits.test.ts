import Fastify from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { AuthSessions, MAX_SECONDS, Sessions } from '../../src/index.js'
import type { DatabaseServer } from '../support/database-server.js'
import { CookieJar, listen, request } from '../support/http.js'
import type { SqlPool, SqlStore, SqlTarget } from './target.js'
import { forEachSqlTarget } from './targets.js'

/** The expiry a Set-Cookie line carries, in ms. */
function cookieExpiry(line: string | undefined): number {
  return Date.parse(/Expires=([^;]+)/.exec(line ?? '')?.[1] ?? '')
}

forEachSqlTarget(<Pool extends SqlPool>(target: SqlTarget<Pool>) =>
  target.describe(
    `${target.storeName} behind a real app: values and durations at their limits`,
    () => {
      let server: DatabaseServer<object>
      let pool: Pool
      let store: SqlStore
      const app = Fastify()
      let base = ''
      beforeAll(async () => {
        server = await target.start()
        pool = target.pool(server, 4)
        store = target.store(pool)
        await store.migrate()
        const sessions = new Sessions({ store, warnLock: false, ttl: MAX_SECONDS })
        const auth = new AuthSessions({ store, warnLock: false })
        await app.register(latchkey(sessions, auth))
        app.post('/name', async (req) => {
          const { name } = req.body as { name: string }
          await req.session.withLock((s) => s.set('name', name))
          return { ok: true }
        })
        app.get('/name', async (req) => ({ name: (await req.session.get('name')) ?? null }))
        app.post('/login', async (req) => {
          await req.authSession.login('ada', { duration: MAX_SECONDS })
          return { ok: true }
        })
        app.get('/me', async (req) => ({ user: (await req.authSession.currentUser()) ?? null }))
        base = await listen(app)
      })
      afterAll(async () => {
        await app.close()
        await store?.close()
        await pool?.end()
        await server?.stop()
      })

      it('answers a lone surrogate in a JSON body with a usage error, not a store outage', async () => {
        const reply = await request(`${base}/name`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"name":"\\ud800"}',
        })
        expect(reply.headers.get('retry-after')).toBeNull()
        expect(reply.status).toBe(500)
        expect(reply.json()).toEqual({ error: 'Internal Server Error', code: 'LATCHKEY_USAGE' })
      })

      it(`${target.holdsNul ? 'stores' : 'refuses'} a \\u0000 from a JSON body (JSON text holds it, jsonb does not)`, async () => {
        const jar = new CookieJar()
        const reply = await jar.fetch(`${base}/name`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"name":"a\\u0000b"}',
        })
        if (target.holdsNul) {
          expect(reply.status).toBe(200)
          expect((await jar.fetch(`${base}/name`)).json()).toEqual({ name: 'a\u0000b' })
        } else {
          // A usage error, not a store outage: no Retry-After.
          expect(reply.headers.get('retry-after')).toBeNull()
          expect(reply.status).toBe(500)
          expect(reply.json()).toEqual({ error: 'Internal Server Error', code: 'LATCHKEY_USAGE' })
        }
      })

      it('stores a session with the largest ttl and reads it back', async () => {
        const jar = new CookieJar()
        const written = await jar.fetch(`${base}/name`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"name":"Ada 😀"}',
        })
        expect(written.status).toBe(200)
        expect(cookieExpiry(written.setCookies[0])).toBeGreaterThan(
          Date.now() + (MAX_SECONDS - 60) * 1000,
        )
        expect((await jar.fetch(`${base}/name`)).json()).toEqual({ name: 'Ada 😀' })
      })

      it('logs in for the largest login duration and keeps the user', async () => {
        const jar = new CookieJar()
        const login = await jar.fetch(`${base}/login`, { method: 'POST' })
        expect(login.status).toBe(200)
        expect(cookieExpiry(login.setCookies[0])).toBeGreaterThan(
          Date.now() + (MAX_SECONDS - 60) * 1000,
        )
        expect((await jar.fetch(`${base}/me`)).json()).toEqual({ user: 'ada' })
      })
    },
  ),
)
