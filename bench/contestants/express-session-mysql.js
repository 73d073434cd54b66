// The MySQL peer: Express 5 + express-session + express-mysql-session 3 on the
// runner's MariaDB, over a mysql2/promise pool given to it (its documented
// "existing pool" setup), which creates its own table on start (its default).
// saveUninitialized and resave false, rolling false, disableTouch, and
// clearExpired false (no sweep timer): a read writes nothing, as with
// connect-pg-simple. Each of these spares it work. It takes no lock: /inc is
// the plain read-modify-write its docs show.
import mysqlSession from 'express-mysql-session'
import session from 'express-session'
import mysql from 'mysql2/promise'
import { expressSession } from '../lib/apps.js'
import { MYSQL_POOL_SIZE } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-session-mysql',
  label: 'express-session + express-mysql-session',
  requires: ['mysql'],
  baseline: 'express-bare',
  async create(env) {
    const { host, port, user, password, database } = env.mysql
    const pool = mysql.createPool({
      host,
      port,
      user,
      password,
      database,
      connectionLimit: MYSQL_POOL_SIZE,
    })
    const MySQLStore = mysqlSession(session)
    const store = new MySQLStore({ disableTouch: true, clearExpired: false }, pool)
    await store.onReady()
    return expressSession(store, () => pool.end())
  },
}
