// Compile-only: `npm run typecheck` proves the h3 event context augmentation.
import { createApp, defineEventHandler } from 'h3'
import {
  answerSessionError,
  latchkey,
  latchkeyNitro,
  loginRequired,
} from '../../src/adapters/h3/index.js'
import type { AuthSession, Session, SessionData } from '../../src/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const sessions = new Sessions({ store: new MemoryStore() })
const auth = new AuthSessions({ store: new MemoryStore() })
const app = createApp({ onError: answerSessionError })
app.use(latchkey(sessions, auth))

app.use(
  '/visits',
  defineEventHandler({
    onRequest: [loginRequired(auth, { redirectTo: '/login' })],
    handler: async (event) => {
      const session: Session<SessionData> = event.context.session
      await using locked = await event.context.session.lock()
      locked.set('visits', 1)
      // @ts-expect-error the session has no such method
      event.context.session.increment('visits')
      // @ts-expect-error keys are strings
      await event.context.session.get(1)
      const authSession: AuthSession<SessionData, unknown> = event.context.authSession
      return { value: await session.get('visits'), in: await authSession.isLoggedIn() }
    },
  }),
)

// @ts-expect-error latchkey() takes managers, not options
latchkey({ store: new MemoryStore() })

// The plugin takes a NitroApp: anything with hooks.hook(name, handler).
latchkeyNitro(sessions)({ hooks: { hook: () => undefined } })
