// Compile-only: `npm run typecheck` proves the Hono context variable typing.
import { Hono } from 'hono'
import { latchkey, loginRequired } from '../../src/adapters/hono/index.js'
import type { AuthSession, Session, SessionData } from '../../src/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const sessions = new Sessions({ store: new MemoryStore() })
const app = new Hono()
app.use(latchkey(sessions))

app.get('/', async (c) => {
  const session: Session<SessionData> = c.get('session')
  const value: unknown = await session.get('visits')
  await using locked = await c.get('session').lock()
  locked.set('visits', 1)
  // @ts-expect-error no context variable of that name
  c.get('sesion')
  // @ts-expect-error the session has no such method
  c.get('session').increment('visits')
  // @ts-expect-error only a session can be stored under its name
  c.set('session', 'not a session')
  return c.json({ value: value ?? null })
})

// Apps that declare their variables keep the session typed too.
const typed = new Hono<{ Variables: { user: string } }>()
typed.use(latchkey(sessions))
typed.get('/', (c) => {
  const session: Session<SessionData> = c.get('session')
  const user: string = c.get('user')
  return c.json({ user, id: session.id ?? null })
})

// @ts-expect-error latchkey() takes managers, not options
latchkey({ store: new MemoryStore() })

// The auth layer: c.get('authSession') is typed, and loginRequired is a route middleware.
const auth = new AuthSessions({ store: new MemoryStore() })
app.use(latchkey(sessions, auth))
app.get('/account', loginRequired(auth, { redirectTo: '/login' }), async (c) => {
  const authSession: AuthSession<SessionData, unknown> = c.get('authSession')
  await authSession.login({ id: 'ada' })
  return c.json({ loggedIn: await c.get('authSession').isLoggedIn() })
})
loginRequired(auth, { onUnauthenticated: (c) => c.json({ error: 'nope' }, 404) })
// @ts-expect-error redirectStatus is 302 or 303
loginRequired(auth, { redirectStatus: 301 })
// @ts-expect-error onUnauthenticated returns a Response (or nothing)
loginRequired(auth, { onUnauthenticated: () => 'not a response' })
