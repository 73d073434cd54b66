import { withSessions } from 'latchkey/react-router'
import { auth } from '../sessions.server.js'

// POST /logout
export const action = withSessions(auth, async ({ request }) => {
  await auth.of(request).logout()
  return Response.json({ ok: true })
})
