import { loginRequired, withSessions } from 'latchkey/react-router'
import { auth } from '../sessions.server.js'

// GET /account: without login, loginRequired throws a 401 Response (or a redirect, given redirectTo).
export const loader = withSessions(
  auth,
  loginRequired(auth)(async ({ request }) =>
    Response.json({ user: (await auth.of(request).currentUser()).id }),
  ),
)
