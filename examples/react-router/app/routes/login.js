import { withSessions } from 'latchkey/react-router'
import { checkLogin } from '../../../shared/account.js'
import { auth } from '../sessions.server.js'

// POST /login
export const action = withSessions(auth, async ({ request }) => {
  const user = checkLogin(await request.json().catch(() => undefined))
  if (!user) return Response.json({ error: 'wrong user or password' }, { status: 401 })
  await auth.of(request).login(user) // a new session id: no fixation
  return Response.json({ user: user.id })
})
