// Compile-only: `npm run typecheck` proves App.Locals typed through LatchkeyLocals.
import { json, type RequestHandler, type ServerLoad } from '@sveltejs/kit'
import { sequence } from '@sveltejs/kit/hooks'
import {
  handleSessionError,
  type LatchkeyLocals,
  latchkey,
  loginRequired,
} from '../../src/adapters/sveltekit/index.js'
import type { AuthSession, Session, SessionData } from '../../src/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

declare global {
  namespace App {
    interface Locals extends LatchkeyLocals {}
  }
}

const sessions = new Sessions({ store: new MemoryStore() })
const auth = new AuthSessions({ store: new MemoryStore() })
export const handle = sequence(latchkey(sessions, auth))
export const handleError = handleSessionError

const guard = loginRequired(auth, { redirectTo: '/login' })

export const POST: RequestHandler = async ({ locals }) => {
  const session: Session<SessionData> = locals.session
  await using locked = await locals.session.lock()
  locked.set('visits', 1)
  // @ts-expect-error the session has no such method
  locals.session.increment('visits')
  // @ts-expect-error keys are strings
  await locals.session.get(1)
  return json({ visits: await session.get('visits') })
}

export const load: ServerLoad = async (event) => {
  await guard(event)
  const authSession: AuthSession<SessionData, unknown> = event.locals.authSession
  return { in: await authSession.isLoggedIn() }
}

// @ts-expect-error latchkey() takes managers, not options
latchkey({ store: new MemoryStore() })
