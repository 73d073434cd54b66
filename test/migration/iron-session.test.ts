/**
 * Sessions in real iron-session cookies (written by getIronSession in a Node
 * server) move to latchkey through a LegacySessionSource built on iron-session's
 * own unsealData, the one docs/migrating.md shows.
 */
import { createServer, type Server } from 'node:http'
import Fastify, { type FastifyInstance } from 'fastify'
import { getIronSession, unsealData } from 'iron-session'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { type LegacySessionSource, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { cookiePair, listen, request, type Served, served } from '../support/http.js'

const PASSWORD = 'the iron-session password, at least 32 characters long'

/** As in docs/migrating.md: the cookie is the session, so the "id" is the seal itself. */
const ironSessions: LegacySessionSource = {
  name: 'iron-session',
  cookie: { name: 'iron', path: '/' },
  verify: (value) => (value.startsWith('Fe26.2*') ? value : undefined),
  async load(seal) {
    const data = await unsealData<Record<string, unknown>>(seal, { password: PASSWORD })
    return Object.keys(data).length > 0 ? data : undefined // {} when expired or forged
  },
  // A sealed cookie cannot be revoked: it stays valid until its ttl (see the docs).
  destroy: async () => {},
}

function ironApp(): Server {
  return createServer(async (req, res) => {
    const session = await getIronSession<{ user?: { id: string }; theme?: string }>(req, res, {
      password: PASSWORD,
      cookieName: 'iron',
      cookieOptions: { secure: false },
    })
    session.user = { id: 'ada' }
    session.theme = 'dark'
    await session.save()
    res.end('ok')
  })
}

describe('migrating from iron-session', () => {
  let legacy: Served
  let current: { app: FastifyInstance; url: string }
  beforeAll(async () => {
    legacy = await served(ironApp().listen(0, '127.0.0.1'))
    const sessions = new Sessions({ store: new MemoryStore(), migrateFrom: ironSessions })
    const app = Fastify()
    await app.register(latchkey(sessions))
    app.get('/session', async (req) => {
      const data = await req.session.all()
      return { id: req.session.id ?? null, data }
    })
    current = { app, url: await listen(app) }
  })
  afterAll(async () => {
    await current?.app.close()
    await legacy?.close()
  })

  it("moves the cookie's data to a latchkey session and clears the iron cookie", async () => {
    const cookie = cookiePair(await request(legacy.url), 'iron') as string
    expect(cookie).toMatch(/^iron=Fe26\.2\*/)
    const reply = await request(`${current.url}/session`, { cookie })
    const body = reply.json<{ id: string; data: unknown }>()
    expect(body.data).toEqual({ user: { id: 'ada' }, theme: 'dark' })
    expect(cookiePair(reply, 'SESSION')).toBe(`SESSION=${body.id}`)
    expect(reply.setCookies.some((c) => c.startsWith('iron=; Max-Age=0; Path=/'))).toBe(true)
    // A replay within the window reaches the same session, not a second one.
    const replay = await request(`${current.url}/session`, { cookie })
    expect(replay.json<{ id: string }>().id).toBe(body.id)
  })

  it('gives a seal under another password, or a cut one, an empty session', async () => {
    const cookie = cookiePair(await request(legacy.url), 'iron') as string
    const cut = cookie.slice(0, -10)
    for (const bad of [cut, cookie.replace('Fe26.2*', 'Fe26.1*'), 'iron=plain']) {
      const reply = await request(`${current.url}/session`, { cookie: bad })
      expect(reply.json()).toEqual({ id: null, data: {} })
    }
  })
})
