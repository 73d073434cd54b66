// An Express app and a manager, the cart typed (docs/frameworks.md has the whole program).
import type { Express } from 'express'
import type { Sessions } from 'latchkey'

export { latchkey } from 'latchkey/express'

declare module 'latchkey' {
  interface Register {
    session: { cart: string[] }
  }
}

export declare const app: Express
export declare const sessions: Sessions<{ cart: string[] }>
