// A Next.js app's managers, exported from lib/sessions.ts (docs/frameworks.md shows that file).
import type { AuthSessions, Sessions } from 'latchkey'

export interface User {
  id: string
  name: string
}

export declare const sessions: Sessions<{ n: number; visits: number }>
export declare const auth: AuthSessions<Record<string, never>, User>
export declare function checkPassword(
  username: unknown,
  password: unknown,
): Promise<User | undefined>
