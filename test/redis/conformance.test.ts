import { afterAll, beforeAll, describe, it } from 'vitest'
import { RedisStore } from '../../src/stores/redis/index.js'
import { storeConformance } from '../../src/testing/index.js'
import { describeRedis } from '../support/redis-server.js'
import { connectTo, FLAVOURS, type TestClient, TOPOLOGIES, useRedisServers } from './clients.js'

describeRedis('RedisStore conformance', () => {
  const servers = useRedisServers()

  for (const flavour of FLAVOURS) {
    for (const topology of TOPOLOGIES) {
      describe(`${flavour}, ${topology}`, () => {
        let connection: TestClient
        beforeAll(async () => {
          connection = await connectTo(flavour, topology, servers)
        })
        afterAll(() => connection?.close())

        const cases = storeConformance({
          create: () => new RedisStore({ client: connection.client, prefix: 'conformance:' }),
          capabilities: { touch: true, lock: true, userIndex: true, stats: true, sweep: true },
        })
        for (const c of cases) it.skipIf(c.skip).concurrent(c.name, c.run)
      })
    }
  }
})
