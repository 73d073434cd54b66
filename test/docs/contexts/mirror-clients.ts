// docs/stores.md: the app's node-redis client and the analytics team's pg Pool.
import type pg from 'pg'
import type { RedisClientType } from 'redis'

export declare const redis: RedisClientType
export declare const analyticsPool: pg.Pool
