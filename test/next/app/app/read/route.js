import { withSessions } from 'latchkey/next'
import { auth, sessions } from '../../lib/sessions.js'

export const GET = withSessions([sessions, auth], async (request) =>
  Response.json({
    n: (await sessions.of(request).get('n')) ?? 0,
    user: (await auth.of(request).currentUserId()) ?? null,
  }),
)
