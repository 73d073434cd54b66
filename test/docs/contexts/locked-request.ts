// docs/locking.md: a Fastify handler's request, the session's `n` a number.
import type { FastifyRequest } from 'fastify'
import type {} from 'latchkey'
import type {} from 'latchkey/fastify'

declare module 'latchkey' {
  interface Register {
    session: { n: number }
  }
}

export declare const req: FastifyRequest
