import { withSessions } from 'latchkey/react-router'
import { sessions } from '../sessions.server.js'

// POST /inc
export const action = withSessions(sessions, async ({ request }) => {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await sessions.of(request).lock()` in TypeScript, where Node 20 has no `using` in JS.)
  const n = await sessions.of(request).withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  return Response.json({ n })
})
