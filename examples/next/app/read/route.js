import { withSessions } from 'latchkey/next'
import { managers } from '../../lib/sessions.js'

const { sessions } = await managers()

export const GET = withSessions(sessions, async (request) =>
  Response.json({ n: (await sessions.of(request).get('n')) ?? 0 }),
)
