// The Express peer: express-session with its default MemoryStore, the
// settings of fastify-session-memory (saveUninitialized, resave and rolling
// false: a read neither re-saves nor re-sends the cookie). These spare it
// work. No lock: /inc is the plain read-modify-write its docs show; its
// memory store answers on the next tick, so the hot session's count shows
// whether requests interleave between read and write.
import { createServer } from 'node:http'
import express from 'express'
import session from 'express-session'
import { COOKIE, SECRET } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-session-memory',
  label: 'express-session + MemoryStore',
  baseline: 'express-bare',
  async create() {
    const app = express()
    app.set('etag', false)
    app.use(
      session({
        secret: SECRET,
        resave: false,
        saveUninitialized: false,
        rolling: false,
        cookie: {
          path: COOKIE.path,
          httpOnly: COOKIE.httpOnly,
          secure: COOKIE.secure,
          sameSite: COOKIE.sameSite,
          maxAge: COOKIE.maxAge * 1000,
        },
      }),
    )

    app.get('/new', (req, res) => {
      req.session.n = 0
      res.json({ n: 0 })
    })
    app.get('/inc', (req, res) => {
      const n = (req.session.n ?? 0) + 1
      req.session.n = n
      res.json({ n })
    })
    app.get('/read', (req, res) => {
      res.json({ n: req.session.n ?? null })
    })

    return createServer(app)
  },
}
