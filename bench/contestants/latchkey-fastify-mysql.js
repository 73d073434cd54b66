// latchkey's Fastify plugin with MySQLStore on the runner's MariaDB, through a
// mysql2/promise pool (the same client package as the express-mysql-session
// peer). Same routes as latchkey-fastify-memory: /inc is a locked
// read-modify-write (the store's lease lock), /read reads without the lock.
// The pool has the same size as the peer's.
import { MySQLStore } from 'latchkey/stores/mysql'
import mysql from 'mysql2/promise'
import { latchkeyFastify } from '../lib/apps.js'
import { MYSQL_POOL_SIZE } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-mysql',
  label: 'latchkey + MySQLStore (Fastify)',
  requires: ['mysql'],
  baseline: 'fastify-bare',
  peer: 'express-session-mysql',
  targets: [
    { scenario: 'inc', versus: 'express-session-mysql', atLeast: 1.5 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
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
    const store = new MySQLStore({ client: pool })
    await store.migrate()
    return latchkeyFastify(store, async () => {
      await store.close()
      await pool.end()
    })
  },
}
