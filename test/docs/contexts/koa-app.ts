// A Koa app and a manager, the cart typed (docs/frameworks.md has the whole program).
import type Koa from 'koa'
import type { Sessions } from 'latchkey'

export { latchkey } from 'latchkey/koa'

declare module 'latchkey' {
  interface Register {
    session: { cart: string[] }
  }
}

export declare const app: Koa
export declare const sessions: Sessions<{ cart: string[] }>
