import { afterAll, beforeAll, describe, it } from 'vitest'
import { RedisStore } from '../../src/stores/redis/index.js'
import { storeConformance } from '../../src/testing/index.js'
import {
  describeRedis,
  type RedisCluster,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js'
import { connectClient, connectCluster, FLAVOURS, type TestClient } from './clients.js'

describeRedis('RedisStore conformance', () => {
  let standalone: RedisServer
  let cluster: RedisCluster
  beforeAll(async () => {
    ;[standalone, cluster] = await Promise.all([startRedis(), startRedisCluster()])
  })
  afterAll(async () => {
    await Promise.all([standalone?.dispose(), cluster?.dispose()])
  })

  for (const flavour of FLAVOURS) {
    for (const topology of ['standalone', 'cluster'] as const) {
      describe(`${flavour}, ${topology}`, () => {
        let connection: TestClient
        beforeAll(async () => {
          connection =
            topology === 'standalone'
              ? await connectClient(flavour, standalone.server.port)
              : await connectCluster(flavour, cluster.rootNodes)
        })
        afterAll(() => connection?.close())

        const cases = storeConformance({
          create: () => new RedisStore({ client: connection.client, prefix: 'conformance:' }),
          capabilities: { touch: true, lock: true, userIndex: true },
        })
        for (const c of cases) it.skipIf(c.skip).concurrent(c.name, c.run)
      })
    }
  }
})
