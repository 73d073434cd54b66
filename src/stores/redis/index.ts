/**
 * The Redis store: `import { RedisStore } from 'latchkey/stores/redis'`.
 * @module
 */
export type {
  IoRedisLike,
  NodeRedisClientLike,
  NodeRedisClusterLike,
  RedisClientLike,
} from './client.js'
export { RedisStore, type RedisStoreOptions } from './redis-store.js'
export {
  type SanicCookiesRedisSourceOptions,
  sanicCookiesRedisSource,
} from './sanic-cookies-source.js'
