import { withSessions } from 'latchkey/next'
import { managers } from '../../lib/sessions.js'

const { sessions } = await managers()

export const POST = withSessions(sessions, async (request) => {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await sessions.of(request).lock()` in TypeScript.)
  const n = await sessions.of(request).withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  return Response.json({ n })
})
