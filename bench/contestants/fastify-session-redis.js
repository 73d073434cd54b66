// Redis peer on Fastify: @fastify/session 11 + connect-redis 9 (v10 needs
// Node 22) on a node-redis 6 client, on the runner's Redis. Same settings as
// fastify-session-memory (saveUninitialized false, rolling false) plus
// connect-redis's disableTouch: a read writes nothing, as with latchkey (which
// touches at most once per touchAfter, an hour by default). These spare it
// work. It takes no lock: /inc is the plain read-modify-write its docs show,
// and with a network round trip between the read and the write the hot
// session loses updates.
import { RedisStore } from 'connect-redis'
import { createClient } from 'redis'
import { fastifySessionApp } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'fastify-session-redis',
  label: '@fastify/session + connect-redis',
  requires: ['redis'],
  baseline: 'fastify-bare',
  async create(env) {
    const client = await createClient({ url: env.redis.url }).connect()
    return fastifySessionApp(new RedisStore({ client, disableTouch: true }), () => client.close())
  },
}
