// The README's first example: a Fastify handler's `req`, with the cart typed.
import type { FastifyRequest } from 'fastify'
import type {} from 'latchkey'
import type {} from 'latchkey/fastify'

declare module 'latchkey' {
  interface Register {
    session: { cart: string[] }
  }
}

export declare const req: FastifyRequest
export declare const item: string
