// A SvelteKit app's files (src/hooks.server.ts, src/routes/**): the managers made in
// src/lib/server/sessions.ts (`import { sessions, auth } from '$lib/server/sessions'`),
// and the app's password check. `App.Locals` extends LatchkeyLocals as docs/frameworks.md's
// src/app.d.ts declares it.
import type { AuthSessions, Sessions } from 'latchkey'
import type { LatchkeyLocals } from 'latchkey/sveltekit'

declare module 'latchkey' {
  interface Register {
    session: { cart: string[] }
  }
  interface RegisterAuth {
    user: { id: string; name: string }
  }
}

declare global {
  namespace App {
    interface Locals extends LatchkeyLocals {}
  }
}

export declare const sessions: Sessions<{ cart: string[] }>
export declare const auth: AuthSessions<Record<string, never>, { id: string; name: string }>
export declare function checkPassword(
  username: string,
  password: string,
): Promise<{ id: string; name: string } | undefined>
