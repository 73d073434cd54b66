/**
 * A Fastify app on RedisStore, run as its own OS process by the acceptance
 * tests (`node --import tsx test/redis/app-server.ts`). Configured by env:
 * REDIS_FLAVOUR (node-redis | ioredis), REDIS_PORT or REDIS_CLUSTER (JSON list
 * of { host, port }), LOCK_LEASE, LOCK_TIMEOUT and COMMAND_TIMEOUT (seconds).
 * Prints `listening <url>` when ready.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify from 'fastify'
import { latchkey } from '../../src/adapters/fastify/index.js'
import { Sessions } from '../../src/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { connectClient, connectCluster, type Flavour } from './clients.js'

const env = process.env
const flavour = (env.REDIS_FLAVOUR ?? 'node-redis') as Flavour
const connection = env.REDIS_CLUSTER
  ? await connectCluster(flavour, JSON.parse(env.REDIS_CLUSTER))
  : await connectClient(flavour, Number(env.REDIS_PORT))
const store = new RedisStore({
  client: connection.client,
  commandTimeout: Number(env.COMMAND_TIMEOUT ?? 2),
})
const sessions = new Sessions<{ n: number }>({
  store,
  warnLock: false,
  lock: { lease: Number(env.LOCK_LEASE ?? 30), timeout: Number(env.LOCK_TIMEOUT ?? 10) },
})

const app = Fastify()
await app.register(latchkey(sessions))
app.get('/inc', async (req) => {
  await using s = await req.session.lock()
  s.set('n', Number(s.get('n') ?? 0) + 1)
  return { n: s.get('n'), pid: process.pid }
})
app.get<{ Querystring: { ms?: string } }>('/slow-inc', async (req) => {
  await using s = await req.session.lock()
  process.stdout.write('locked\n')
  await sleep(Number(req.query.ms ?? 0))
  s.set('n', Number(s.get('n') ?? 0) + 1)
  return { n: s.get('n') }
})
app.get('/inc-unlocked', async (req) => {
  const n = Number((await req.session.get('n')) ?? 0)
  await req.session.set('n', n + 1)
  return { n: n + 1 }
})
app.get('/read', async (req) => ({ n: (await req.session.get('n')) ?? null }))

await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
if (typeof address !== 'object' || address === null) throw new Error('no address')
process.stdout.write(`listening http://127.0.0.1:${address.port}\n`)

process.once('SIGTERM', async () => {
  await app.close()
  await sessions.close()
  await connection.close()
  process.exit(0)
})
