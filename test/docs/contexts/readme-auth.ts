// The README's login example: a Fastify app with a form parser, a store, a plain
// manager, the app's password check, and a handler's request and user id.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Sessions } from 'latchkey'
import type {} from 'latchkey/fastify'
import type { MemoryStore } from 'latchkey/stores/memory'

export declare const app: FastifyInstance
export declare const store: MemoryStore
export declare const sessions: Sessions
export declare function checkPassword(
  username: string,
  password: string,
): Promise<{ id: string; name: string } | undefined>
export declare const req: FastifyRequest
export declare const userId: string
