import { withSessions } from 'latchkey/react-router'
import { sessions } from '../sessions.server.js'

// GET /read
export const loader = withSessions(sessions, async ({ request }) =>
  Response.json({ n: (await sessions.of(request).get('n')) ?? 0 }),
)
