import { Cluster, Redis } from 'ioredis'
import { createClient, createCluster } from 'redis'
import type { RedisClientLike } from '../../src/stores/redis/index.js'

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
