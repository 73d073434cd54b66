// The Hono peer with server-side state: hono-sessions 0.8 with its
// MemoryStore (the cookie holds the session id, sealed with the
// encryptionKey), Hono 4 on @hono/node-server. expireAfterSeconds = the shared
// 30 days; autoExtendExpiration off, which spares it work. No lock.
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { MemoryStore, sessionMiddleware } from 'hono-sessions'
import { COOKIE, SECRET } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'hono-sessions-memory',
  label: 'hono-sessions + MemoryStore (Hono)',
  baseline: 'hono-bare',
  async create() {
    const app = new Hono()
    app.use(
      '*',
      sessionMiddleware({
        store: new MemoryStore(),
        encryptionKey: SECRET,
        expireAfterSeconds: COOKIE.maxAge,
        autoExtendExpiration: false,
        cookieOptions: {
          path: COOKIE.path,
          httpOnly: COOKIE.httpOnly,
          secure: COOKIE.secure,
          sameSite: 'Lax',
          maxAge: COOKIE.maxAge,
        },
      }),
    )

    app.get('/new', (c) => {
      c.get('session').set('n', 0)
      return c.json({ n: 0 })
    })
    app.get('/inc', (c) => {
      const session = c.get('session')
      const n = (session.get('n') ?? 0) + 1
      session.set('n', n)
      return c.json({ n })
    })
    app.get('/read', (c) => c.json({ n: c.get('session').get('n') ?? null }))

    return createAdaptorServer({ fetch: app.fetch })
  },
}
