// Compile-only: `npm run typecheck` proves the Express request augmentation.
import express from 'express'
import {
  expressSession,
  expressSessionCompat,
  latchkey,
  loginRequired,
} from '../../src/adapters/express/index.js'
import type { AuthSession, LockedSession, Session, SessionData } from '../../src/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const sessions = new Sessions({ store: new MemoryStore() })
const app = express()
app.use(latchkey(sessions))

app.get('/', async (req, res) => {
  const session: Session<SessionData> = req.session
  const value: unknown = await session.get('visits')
  await using locked = await req.session.lock()
  const handle: LockedSession<SessionData> = locked
  handle.set('visits', 1)
  // @ts-expect-error the session has no such method
  req.session.increment('visits')
  // @ts-expect-error keys are strings
  await req.session.get(1)
  // @ts-expect-error the unlocked session is async: lock() first for synchronous access
  req.session.lock().set('visits', 1)
  res.json({ value })
})

// @ts-expect-error latchkey() takes managers, not options
latchkey({ store: new MemoryStore() })

// The auth layer: req.authSession is typed, and loginRequired is a route middleware.
const auth = new AuthSessions({ store: new MemoryStore() })
app.use(latchkey(sessions, auth))
app.get('/account', loginRequired(auth, { redirectTo: '/login' }), async (req, res) => {
  const authSession: AuthSession<SessionData, unknown> = req.authSession
  await authSession.login({ id: 'ada' })
  res.json({ user: await req.authSession.currentUser() })
})
loginRequired(auth, { onUnauthenticated: (_req, res) => res.status(404).end() })
// @ts-expect-error redirectStatus is 302 or 303
loginRequired(auth, { redirectStatus: 301 })
// @ts-expect-error onUnauthenticated receives Express's (req, res)
loginRequired(auth, { onUnauthenticated: (c: { json: () => void }) => c.json() })

// expressSessionCompat: express-session's req.session for Passport, typed through expressSession(req).
app.use(expressSessionCompat(auth))
app.get('/views', (req, res) => {
  const session = expressSession<{ views?: number }>(req)
  const views: number | undefined = session.views
  session.views = (views ?? 0) + 1
  // @ts-expect-error views is a number
  session.views = 'many'
  session.cookie.maxAge = 7 * 24 * 3600 * 1000
  session.save(() => res.json({ id: session.id ?? null }))
})
// @ts-expect-error expressSessionCompat() takes the manager, not options
expressSessionCompat({ store: new MemoryStore() })
