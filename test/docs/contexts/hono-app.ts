// A Hono app and a manager, the cart typed (docs/frameworks.md has the whole program).
import type { Hono } from 'hono'
import type { Sessions } from 'latchkey'

export { latchkey } from 'latchkey/hono'

declare module 'latchkey' {
  interface Register {
    session: { cart: string[] }
  }
}

export declare const app: Hono
export declare const sessions: Sessions<{ cart: string[] }>
