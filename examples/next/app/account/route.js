import { loginRequired, withSessions } from 'latchkey/next'
import { managers } from '../../lib/sessions.js'

const { auth } = await managers()

export const GET = withSessions(
  auth,
  loginRequired(auth)(async (request) =>
    Response.json({ user: (await auth.of(request).currentUser()).id }),
  ),
)
