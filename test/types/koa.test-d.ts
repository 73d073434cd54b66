// Compile-only: `npm run typecheck` proves the Koa context augmentation.
import Koa from 'koa'
import { latchkey, loginRequired } from '../../src/adapters/koa/index.js'
import type { AuthSession, Session, SessionData } from '../../src/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const sessions = new Sessions({ store: new MemoryStore() })
const app = new Koa()
app.use(latchkey(sessions))

app.use(async (ctx) => {
  const session: Session<SessionData> = ctx.session
  const value: unknown = await session.get('visits')
  await using locked = await ctx.session.lock()
  locked.set('visits', 1)
  // @ts-expect-error the session has no such method
  ctx.session.increment('visits')
  // @ts-expect-error keys are strings
  await ctx.session.get(1)
  // @ts-expect-error the property holds a session
  ctx.session = 'not a session'
  ctx.body = { value }
})

// @ts-expect-error latchkey() takes managers, not options
latchkey({ store: new MemoryStore() })

// The auth layer: ctx.authSession is typed, and loginRequired is a middleware.
const auth = new AuthSessions({ store: new MemoryStore() })
app.use(latchkey(sessions, auth))
app.use(loginRequired(auth, { redirectTo: '/login' }))
app.use(async (ctx) => {
  const authSession: AuthSession<SessionData, unknown> = ctx.authSession
  await authSession.login({ id: 'ada' })
  ctx.body = { loggedIn: await ctx.authSession.isLoggedIn() }
  // @ts-expect-error the property holds an auth session
  ctx.authSession = sessions.open({ cookie: undefined })
})
loginRequired(auth, {
  onUnauthenticated: (ctx) => {
    ctx.status = 404
  },
})
// @ts-expect-error redirectStatus is 302 or 303
loginRequired(auth, { redirectStatus: 301 })
