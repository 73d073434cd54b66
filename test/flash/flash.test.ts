/**
 * Flash messages over real HTTP (Fastify) on each kind of store: left before a
 * redirect, read once after it; under concurrent requests of one session none
 * is lost and none is read twice (server stores; the cookie store holds them
 * in the cookie, where two tabs can race, as any cookie session can).
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { type FlashMessage, type SessionStore, Sessions } from '../../src/index.js'
import { CookieStore, generateKey } from '../../src/stores/cookie/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { connectClient, type TestClient } from '../redis/clients.js'
import { poolOn } from '../sql/postgres-target.js'
import { CookieJar, listen } from '../support/http.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'

async function flashApp(
  store: SessionStore | CookieStore,
): Promise<{ app: FastifyInstance; base: string }> {
  const sessions = new Sessions({ store, cookie: { secure: false } })
  const app = Fastify()
  await app.register(latchkey(sessions))
  app.post<{ Querystring: { type?: string; text: string } }>('/flash', async (req, reply) => {
    await req.session.flash(req.query.type ?? 'success', req.query.text)
    return reply.redirect('/page', 303)
  })
  app.post('/visit', async (req) => {
    await req.session.withLock((s) => s.set('visits', ((s.get('visits') as number) ?? 0) + 1))
    return { ok: true }
  })
  app.get<{ Querystring: { type?: string } }>('/page', async (req) => ({
    flashes: await req.session.flashes(req.query.type),
  }))
  return { app, base: await listen(app) }
}

const texts = (body: { flashes: FlashMessage[] }) => body.flashes.map((f) => f.message)

function flashSuite(
  title: string,
  makeStore: () => SessionStore | CookieStore,
  { concurrent = true } = {},
) {
  describe(title, () => {
    let t: { app: FastifyInstance; base: string }
    beforeAll(async () => {
      t = await flashApp(makeStore())
    })
    afterAll(() => t?.app.close())

    const page = async (jar: CookieJar, type?: string) =>
      (await jar.fetch(`${t.base}/page${type ? `?type=${type}` : ''}`)).json<{
        flashes: FlashMessage[]
      }>()
    const leave = (jar: CookieJar, text: string, type = 'success') =>
      jar.fetch(`${t.base}/flash?type=${type}&text=${encodeURIComponent(text)}`, { method: 'POST' })

    it('survives one redirect and is read once', async () => {
      const jar = new CookieJar()
      const reply = await leave(jar, 'Saved.')
      expect(reply.status).toBe(303)
      expect((await page(jar)).flashes).toEqual([{ type: 'success', message: 'Saved.' }])
      expect((await page(jar)).flashes).toEqual([])
    })

    it('gives messages of one type and keeps the others for later', async () => {
      const jar = new CookieJar()
      await leave(jar, 'Saved.')
      await leave(jar, 'Your card expires soon.', 'warning')
      await leave(jar, 'Also saved.')
      expect(texts(await page(jar, 'warning'))).toEqual(['Your card expires soon.'])
      expect(texts(await page(jar))).toEqual(['Saved.', 'Also saved.'])
      expect(texts(await page(jar))).toEqual([])
    })

    if (!concurrent) return
    it('keeps every message left by 20 concurrent requests', async () => {
      const jar = new CookieJar()
      await jar.fetch(`${t.base}/visit`, { method: 'POST' }) // the 20 requests share its cookie
      await Promise.all(Array.from({ length: 20 }, (_, i) => leave(jar, `m${i}`)))
      const all = texts(await page(jar))
      expect(all.toSorted()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).toSorted())
    })

    it('hands each message to exactly one of 10 concurrent readers', async () => {
      const jar = new CookieJar()
      for (let i = 0; i < 5; i++) await leave(jar, `n${i}`)
      const read = await Promise.all(Array.from({ length: 10 }, () => page(jar)))
      const taken = read.flatMap(texts)
      expect(taken.toSorted()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4'])
      expect(texts(await page(jar))).toEqual([])
    })
  })
}

flashSuite('flash messages (MemoryStore)', () => new MemoryStore())
// The whole session travels in the cookie: concurrent requests race in the browser, not here.
flashSuite('flash messages (CookieStore)', () => new CookieStore({ keys: generateKey() }), {
  concurrent: false,
})

describeRedis('flash messages (Redis)', () => {
  let redis: RedisServer
  let client: TestClient
  beforeAll(async () => {
    redis = await startRedis()
    client = await connectClient('node-redis', redis.server.port)
  })
  afterAll(async () => {
    await client?.close()
    await redis?.dispose()
  })
  flashSuite('RedisStore', () => new RedisStore({ client: client.client }))
})

describeWithPostgres('flash messages (PostgreSQL)', () => {
  let postgres: PostgresServer
  let pool: pg.Pool
  beforeAll(async () => {
    postgres = await startPostgres()
    pool = poolOn(postgres.connection, 8)
    await new PostgresStore({ client: pool, sweepInterval: 0 }).migrate()
  })
  afterAll(async () => {
    await pool?.end()
    await postgres?.stop()
  })
  flashSuite('PostgresStore', () => new PostgresStore({ client: pool, sweepInterval: 0 }))
})

describe('flash() input', () => {
  it('refuses an empty or long type and a message that is not a short string', async () => {
    const session = new Sessions({ store: new MemoryStore() }).open({ cookie: undefined })
    for (const [type, message] of [
      ['', 'x'],
      ['t'.repeat(65), 'x'],
      ['info', 'x'.repeat(2049)],
      ['info', 42],
    ] as const)
      await expect(session.flash(type, message as string)).rejects.toMatchObject({
        code: 'LATCHKEY_USAGE',
      })
  })
})
