// Redis peer on Express: Express 5 + express-session + connect-redis 9 (v10
// needs Node 22) on a node-redis 6 client, on the runner's Redis.
// saveUninitialized and resave false, rolling false, and connect-redis's
// disableTouch: a read writes nothing, as with latchkey (which touches at most
// once per touchAfter, an hour by default). These spare it work. It takes no
// lock: /inc is the plain read-modify-write its docs show.
import { createServer } from 'node:http'
import { RedisStore } from 'connect-redis'
import express from 'express'
import session from 'express-session'
import { createClient } from 'redis'
import { COOKIE, SECRET } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-session-redis',
  label: 'express-session + connect-redis',
  requires: ['redis'],
  baseline: 'express-bare',
  async create(env) {
    const client = await createClient({ url: env.redis.url }).connect()
    const app = express()
    app.set('etag', false)
    app.use(
      session({
        store: new RedisStore({ client, disableTouch: true }),
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

    const server = createServer(app)
    server.once('close', () => client.close().catch(() => {}))
    return server
  },
}
