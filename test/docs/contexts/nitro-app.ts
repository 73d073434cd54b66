// A Nitro (Nuxt) server directory: what Nitro auto-imports there (`defineNitroPlugin`,
// and h3's `defineEventHandler`), and the app's manager from `server/utils`.
import type { Sessions } from 'latchkey'
import type { NitroAppLike } from 'latchkey/h3'

export { defineEventHandler } from 'h3'

declare module 'latchkey' {
  interface Register {
    session: { n: number }
  }
}

export declare function defineNitroPlugin(
  plugin: (nitroApp: NitroAppLike) => void,
): (nitroApp: NitroAppLike) => void
export declare const sessions: Sessions<{ n: number }>
