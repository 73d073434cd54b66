import { withSessions } from 'latchkey/next'
import { managers } from '../../lib/sessions.js'

const { auth } = await managers()

export const POST = withSessions(auth, async (request) => {
  await auth.of(request).logout()
  return Response.json({ ok: true })
})
