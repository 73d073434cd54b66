import type { Server } from 'node:http'
import PGStore from 'connect-pg-simple'
import express from 'express'
import session from 'express-session'
import Fastify, { type FastifyInstance } from 'fastify'
import type pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { Sessions } from '../../src/index.js'
import { expressSessionSource } from '../../src/stores/express/index.js'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import { poolOn } from '../sql/postgres-target.js'
import { cookiePair, listen, request, type Served, served } from '../support/http.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'

const SECRET = 'express-session secret'
const PostgresSessionStore = PGStore(session)

interface SessionReply {
  id: string | null
  data: Record<string, unknown>
}

describeWithPostgres('migrating from express-session + connect-pg-simple to PostgresStore', () => {
  let server: PostgresServer
  let pool: pg.Pool
  let legacy: Served
  const stores: InstanceType<typeof PostgresSessionStore>[] = []
  const apps: FastifyInstance[] = []

  function legacyStore() {
    const store = new PostgresSessionStore({ pool, pruneSessionInterval: false })
    stores.push(store)
    return store
  }

  async function latchkeyApp(): Promise<string> {
    const sessions = new Sessions({
      store: new PostgresStore({ client: pool }),
      warnLock: false,
      migrateFrom: expressSessionSource({ store: legacyStore(), secret: SECRET }),
    })
    const app = Fastify()
    await app.register(latchkey(sessions))
    app.get('/session', async (req) => {
      const data = await req.session.all()
      return { id: req.session.id ?? null, data }
    })
    apps.push(app)
    return listen(app)
  }

  beforeAll(async () => {
    server = await startPostgres()
    pool = poolOn(server.connection, 8)
    await new PostgresStore({ client: pool }).migrate()
    const creator = new PostgresSessionStore({
      pool,
      createTableIfMissing: true,
      pruneSessionInterval: false,
    })
    stores.push(creator)
    const app = express()
    app.use(session({ store: creator, secret: SECRET, resave: false, saveUninitialized: false }))
    app.post('/login', (req, res) => {
      // latchkey's adapters type `req.session` as theirs; this app's is express-session's.
      const legacySession = req.session as unknown as Record<string, unknown>
      legacySession.passport = { user: 'grace' }
      res.json({ sid: req.sessionID })
    })
    legacy = await served(app.listen(0, '127.0.0.1') as Server)
  })
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()))
    await legacy?.close()
    for (const store of stores) await store.close()
    await pool?.end()
    await server?.stop()
  })

  it('ends 20 parallel first requests over two managers on one session, the legacy row deleted', async () => {
    const login = await request(`${legacy.url}/login`, { method: 'POST' })
    const cookie = cookiePair(login, 'connect.sid') as string
    const { sid } = login.json<{ sid: string }>()
    const legacyRows = () =>
      pool.query('SELECT 1 FROM session WHERE sid = $1', [sid]).then((r) => r.rowCount)
    expect(await legacyRows()).toBe(1)

    const [first, second] = [await latchkeyApp(), await latchkeyApp()]
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(`${i % 2 === 0 ? first : second}/session`, { cookie }),
      ),
    )
    const bodies = replies.map((r) => r.json<SessionReply>())
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1)
    for (const body of bodies) expect(body.data).toEqual({ passport: { user: 'grace' } })
    expect(await legacyRows()).toBe(0)
    // One latchkey session holds the data (the migration record beside it holds none).
    const holding = await pool.query(
      "SELECT 1 FROM latchkey_sessions WHERE data::text LIKE '%grace%'",
    )
    expect(holding.rowCount).toBe(1)

    const id = bodies[0]?.id as string
    const again = await request(`${first}/session`, { cookie: `SESSION=${id}` })
    expect(again.json<SessionReply>()).toEqual({ id, data: { passport: { user: 'grace' } } })
  })
})
