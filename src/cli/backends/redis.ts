import type { RedisClientLike } from '../../stores/redis/client.js'
import { RedisStore } from '../../stores/redis/redis-store.js'
import { loadClient } from '../load-client.js'
import type { ServerLocation } from '../store-url.js'
import {
  type Backend,
  COMMAND_TIMEOUT_SECONDS,
  CONNECT_TIMEOUT_MS,
  connected,
  type StoreNaming,
} from './backend.js'

/** The parts of ioredis's `Redis` class the CLI uses. */
interface IoRedisModule {
  Redis: new (
    url: string,
    options: object,
  ) => RedisClientLike & {
    connect(): Promise<void>
    disconnect(): void
    on(event: 'error', listener: (error: unknown) => void): void
  }
}

/** The parts of node-redis the CLI uses. */
interface NodeRedisModule {
  createClient(options: object): RedisClientLike & {
    connect(): Promise<unknown>
    destroy(): void
    on(event: 'error', listener: () => void): void
  }
}

/** A connected client and how to close it. */
interface Connection {
  client: RedisClientLike
  close(): void
}

async function ioredis(module: IoRedisModule, url: string, address: string): Promise<Connection> {
  const client = new module.Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  // ioredis rejects connect() with "Connection is closed"; the error event says why.
  let reason: unknown
  client.on('error', (error) => {
    reason = error
  })
  const connect = () => client.connect().catch((error: unknown) => Promise.reject(reason ?? error))
  await connected('redis', address, connect, () => client.disconnect())
  return { client, close: () => client.disconnect() }
}

async function nodeRedis(
  module: NodeRedisModule,
  url: string,
  address: string,
): Promise<Connection> {
  const client = module.createClient({
    url,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false },
  })
  client.on('error', () => {})
  await connected(
    'redis',
    address,
    () => client.connect(),
    () => client.destroy(),
  )
  return { client, close: () => client.destroy() }
}

/**
 * A RedisStore over the project's ioredis or node-redis (`redis`), whichever
 * is installed, connected to `redis://` or `rediss://` (TLS).
 */
export async function openRedis(location: ServerLocation, naming: StoreNaming): Promise<Backend> {
  const { name, module } = await loadClient(['ioredis', 'redis'], 'A redis:// URL')
  const connection =
    name === 'ioredis'
      ? await ioredis(module as IoRedisModule, location.url, location.address)
      : await nodeRedis(module as NodeRedisModule, location.url, location.address)
  try {
    const store = new RedisStore({
      client: connection.client,
      commandTimeout: COMMAND_TIMEOUT_SECONDS,
      ...(naming.prefix === undefined ? {} : { prefix: naming.prefix }),
    })
    return {
      store,
      close: async () => {
        await store.close()
        connection.close()
      },
    }
  } catch (error) {
    connection.close()
    throw error
  }
}
