// Next.js 16's proxy (middleware.js on Next 15, with `runtime: 'nodejs'`): it counts the visits to
// the page under the session's lock, before the page renders.
import { withSessions } from 'latchkey/next'
import { NextResponse } from 'next/server'
import { managers } from './lib/sessions.js'

const { sessions } = await managers()

export const proxy = withSessions(sessions, async (request) => {
  await sessions.of(request).withLock((s) => {
    s.set('visits', (s.get('visits') ?? 0) + 1)
  })
  return NextResponse.next()
})

export const config = { matcher: '/' }
