// latchkey's Fastify plugin with MemoryStore. /inc is a locked
// read-modify-write (withLock: Node 20 cannot parse `await using` in plain
// JavaScript; it is the same lock). /read reads without the lock, as a
// read-only route should. warnLock is off: the routes are correct as written
// and the warning is a development aid, not part of the work measured.
import Fastify from 'fastify'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/fastify'
import { MemoryStore } from 'latchkey/stores/memory'
import { COOKIE } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-memory',
  label: 'latchkey + MemoryStore (Fastify)',
  baseline: 'fastify-bare',
  peer: 'fastify-session-memory',
  targets: [
    { scenario: 'inc', versus: 'fastify-bare', atLeast: 0.6 },
    { scenario: 'inc', versus: 'fastify-session-memory', atLeast: 2 },
    { scenario: 'read', versus: 'fastify-bare', atLeast: 0.75 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  async create() {
    const sessions = new Sessions({
      store: new MemoryStore(),
      warnLock: false,
      ttl: COOKIE.maxAge,
      cookie: {
        path: COOKIE.path,
        httpOnly: COOKIE.httpOnly,
        secure: COOKIE.secure,
        sameSite: COOKIE.sameSite,
      },
    })
    const app = Fastify({ logger: false })
    await app.register(latchkey(sessions))

    app.get('/new', async (request) => {
      await request.session.withLock((s) => s.set('n', 0))
      return { n: 0 }
    })
    app.get('/inc', async (request) =>
      request.session.withLock((s) => {
        const n = (s.get('n') ?? 0) + 1
        s.set('n', n)
        return { n }
      }),
    )
    app.get('/read', async (request) => ({ n: (await request.session.get('n')) ?? null }))

    await app.ready()
    return app.server
  },
}
