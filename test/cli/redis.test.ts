import { Redis } from 'ioredis'
import { RedisStore } from '../../src/stores/redis/index.js'
import { describeRedis, startRedis } from '../support/redis-server.js'
import { cliScenario } from './scenario.js'

cliScenario({
  name: 'Redis',
  describe: describeRedis,
  keepsExpired: false,
  async start() {
    const redis = await startRedis()
    const client = new Redis(redis.server.url)
    // Another application's sessions on the same Redis: the CLI must not count them.
    await new RedisStore({ client, prefix: 'other:' }).set(
      'someone-else',
      { data: {}, createdAt: Date.now(), lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000 },
      60,
    )
    return {
      url: redis.server.url,
      naming: ['--prefix', 'app:'],
      store: new RedisStore({ client, prefix: 'app:' }),
      async close() {
        client.disconnect()
        await redis.dispose()
      },
    }
  },
})
