// Redis peer on Express: Express 5 + express-session + connect-redis 9 (v10
// needs Node 22) on a node-redis 6 client, on the runner's Redis.
// saveUninitialized and resave false, rolling false, and connect-redis's
// disableTouch: a read writes nothing, as with latchkey (which touches at most
// once per touchAfter, an hour by default). These spare it work. It takes no
// lock: /inc is the plain read-modify-write its docs show.
import { RedisStore } from 'connect-redis'
import { createClient } from 'redis'
import { expressSession } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-session-redis',
  label: 'express-session + connect-redis',
  requires: ['redis'],
  baseline: 'express-bare',
  async create(env) {
    const client = await createClient({ url: env.redis.url }).connect()
    return expressSession(new RedisStore({ client, disableTouch: true }), () => client.close())
  },
}
