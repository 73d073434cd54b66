// docs/auth.md: a request of the app at the top of the page, and its AuthSessions.
import type { FastifyRequest } from 'fastify'
import type { AuthSessions } from 'latchkey'
import type {} from 'latchkey/fastify'

export declare const req: FastifyRequest
export declare const auth: AuthSessions<{ theme?: string }, { id: string; name: string }>
