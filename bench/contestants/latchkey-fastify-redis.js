// latchkey's Fastify plugin with RedisStore on the runner's Redis, through a
// node-redis 6 client (the same client package as the connect-redis peers).
// Same routes as latchkey-fastify-memory: /inc is a locked read-modify-write
// (the store's distributed lock: lock+load in one script, save+unlock in
// another), /read reads without the lock.
import { RedisStore } from 'latchkey/stores/redis'
import { createClient } from 'redis'
import { latchkeyFastify } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-redis',
  label: 'latchkey + RedisStore (Fastify)',
  requires: ['redis'],
  baseline: 'fastify-bare',
  peer: 'fastify-session-redis',
  targets: [
    { scenario: 'inc', versus: 'fastify-session-redis', atLeast: 1.5 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  async create(env) {
    const client = await createClient({ url: env.redis.url }).connect()
    const store = new RedisStore({ client })
    return latchkeyFastify(store, async () => {
      await store.close()
      await client.close()
    })
  },
}
