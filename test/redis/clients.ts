import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import { afterAll, beforeAll } from 'vitest'
import type { RedisClientLike } from '../../src/stores/redis/index.js'
import {
  type RedisCluster,
  type RedisServer,
  startRedis,
  startRedisCluster,
} from '../support/redis-server.js'

/** A connected client of one flavour, configured as the docs recommend. */
export interface TestClient {
  client: RedisClientLike
  /** Closes the client (the store never does). */
  close(): Promise<void>
}

export type Flavour = 'node-redis' | 'ioredis'

export const FLAVOURS: readonly Flavour[] = ['node-redis', 'ioredis']

/** Errors a test client reports while Redis is stopped on purpose; kept for inspection. */
export const clientErrors: unknown[] = []

export async function connectClient(flavour: Flavour, port: number): Promise<TestClient> {
  if (flavour === 'node-redis') {
    const client = createClient({
      socket: {
        host: '127.0.0.1',
        port,
        reconnectStrategy: (retries) => Math.min(50 * retries, 500),
      },
    })
    client.on('error', (error) => clientErrors.push(error))
    await client.connect()
    return { client, close: async () => client.destroy() }
  }
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 })
  client.on('error', (error) => clientErrors.push(error))
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve())
    client.once('error', reject)
  })
  return { client, close: async () => client.disconnect() }
}

export async function connectCluster(
  flavour: Flavour,
  nodes: Array<{ host: string; port: number }>,
): Promise<TestClient> {
  if (flavour === 'node-redis') {
    const cluster = createCluster({
      rootNodes: nodes.map(({ host, port }) => ({ socket: { host, port } })),
    })
    cluster.on('error', (error) => clientErrors.push(error))
    await cluster.connect()
    return { client: cluster, close: async () => cluster.destroy() }
  }
  const cluster = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: 1 } })
  cluster.on('error', (error) => clientErrors.push(error))
  await new Promise<void>((resolve, reject) => {
    cluster.once('ready', () => resolve())
    cluster.once('error', reject)
  })
  return { client: cluster, close: async () => cluster.disconnect() }
}

export type Topology = 'standalone' | 'cluster'

export const TOPOLOGIES: readonly Topology[] = ['standalone', 'cluster']

/** A standalone Redis and a 3-master cluster, set once the enclosing suite's `beforeAll` ran. */
export interface RedisServers {
  standalone: RedisServer
  cluster: RedisCluster
}

/**
 * Starts a standalone Redis and a cluster before the enclosing suite's tests
 * and disposes of both after them.
 */
export function useRedisServers(): RedisServers {
  const servers = {} as RedisServers
  beforeAll(async () => {
    ;[servers.standalone, servers.cluster] = await Promise.all([startRedis(), startRedisCluster()])
  })
  afterAll(async () => {
    await Promise.all([servers.standalone?.dispose(), servers.cluster?.dispose()])
  })
  return servers
}

/** A client of `flavour` connected to the standalone server or to the cluster. */
export function connectTo(
  flavour: Flavour,
  topology: Topology,
  servers: RedisServers,
): Promise<TestClient> {
  return topology === 'standalone'
    ? connectClient(flavour, servers.standalone.server.port)
    : connectCluster(flavour, servers.cluster.rootNodes)
}
