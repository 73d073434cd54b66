// latchkey's Express adapter with MemoryStore, the routes of
// latchkey-fastify-memory: /inc locked (withLock), /read unlocked,
// warnLock off. Express 5 (async handlers' rejections reach its error path).
import { createServer } from 'node:http'
import express from 'express'
import { latchkey } from 'latchkey/express'
import { MemoryStore } from 'latchkey/stores/memory'
import { latchkeySessions } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-express-memory',
  label: 'latchkey + MemoryStore (Express)',
  baseline: 'express-bare',
  peer: 'express-session-memory',
  targets: [
    { scenario: 'read', versus: 'express-bare', atLeast: 0.8 },
    { scenario: 'inc', versus: 'express-session-memory', atLeast: 1 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  async create() {
    const sessions = latchkeySessions(new MemoryStore())
    const app = express()
    app.set('etag', false)
    app.use(latchkey(sessions))

    app.get('/new', async (req, res) => {
      await req.session.withLock((s) => s.set('n', 0))
      res.json({ n: 0 })
    })
    app.get('/inc', async (req, res) => {
      res.json(
        await req.session.withLock((s) => {
          const n = (s.get('n') ?? 0) + 1
          s.set('n', n)
          return { n }
        }),
      )
    })
    app.get('/read', async (req, res) => {
      res.json({ n: (await req.session.get('n')) ?? null })
    })

    return createServer(app)
  },
}
