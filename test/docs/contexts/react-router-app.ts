// docs/frameworks.md, React Router: the app's managers, as app/sessions.server.ts exports them.
import type { AuthSessions, Sessions } from 'latchkey'

export declare const sessions: Sessions<{ cart: string[]; seen: number }>
export declare const auth: AuthSessions<Record<string, never>, { id: string; name: string }>
export declare function checkPassword(
  username: unknown,
  password: unknown,
): Promise<{ id: string; name: string } | undefined>
