// The PostgreSQL peer: Express 5 + express-session + connect-pg-simple 10 on
// the runner's PostgreSQL, with its table created from the table.sql it ships
// (its documented setup). saveUninitialized and resave false, rolling false,
// and disableTouch: a read writes nothing (latchkey touches a session at most
// once per touchAfter, an hour by default, which a bench run never reaches).
// Each of these spares it work. It takes no lock: /inc is the plain read-modify-write its docs show.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import pgSession from 'connect-pg-simple'
import express from 'express'
import session from 'express-session'
import pg from 'pg'
import { COOKIE, POSTGRES_POOL_SIZE, SECRET } from '../lib/fairness.js'

const TABLE_SQL = createRequire(import.meta.url).resolve('connect-pg-simple/table.sql')

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-session-pg',
  label: 'express-session + connect-pg-simple',
  requires: ['postgres'],
  baseline: 'express-bare',
  async create(env) {
    const { host, port, user, database } = env.postgres
    const pool = new pg.Pool({ host, port, user, database, max: POSTGRES_POOL_SIZE })
    await pool.query(await readFile(TABLE_SQL, 'utf8'))
    const PgStore = pgSession(session)
    const app = express()
    app.set('etag', false)
    app.use(
      session({
        store: new PgStore({ pool, disableTouch: true, pruneSessionInterval: false }),
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
    server.once('close', () => pool.end())
    return server
  },
}
