// The PostgreSQL peer: Express 5 + express-session + connect-pg-simple 10 on
// the runner's PostgreSQL, with its table created from the table.sql it ships
// (its documented setup). saveUninitialized and resave false, rolling false,
// and disableTouch: a read writes nothing (latchkey touches a session at most
// once per touchAfter, an hour by default, which a bench run never reaches).
// Each of these spares it work. It takes no lock: /inc is the plain read-modify-write its docs show.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import pgSession from 'connect-pg-simple'
import session from 'express-session'
import pg from 'pg'
import { expressSession } from '../lib/apps.js'
import { POSTGRES_POOL_SIZE } from '../lib/fairness.js'

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
    const store = new PgStore({ pool, disableTouch: true, pruneSessionInterval: false })
    return expressSession(store, () => pool.end())
  },
}
