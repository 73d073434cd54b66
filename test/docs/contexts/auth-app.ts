// docs/auth.md: a Fastify app with a form parser, a connected node-redis client,
// and the app's password check (docs/frameworks.md shows one).
import type { FastifyInstance } from 'fastify'
import type { RedisClientType } from 'redis'

export declare const app: FastifyInstance
export declare const client: RedisClientType
export declare function checkPassword(
  username: string,
  password: string,
): Promise<{ id: string; name: string } | undefined>
