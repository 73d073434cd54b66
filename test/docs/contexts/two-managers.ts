// docs/stores.md: a Fastify app, a plain manager and a login manager.
import type { FastifyInstance } from 'fastify'
import type { AuthSessions, Sessions } from 'latchkey'

export { latchkey } from 'latchkey/fastify'

export declare const app: FastifyInstance
export declare const sessions: Sessions
export declare const auth: AuthSessions
