// Compile-only: `npm run typecheck` proves the Hono context variable typing.
import { Hono } from 'hono'
import { latchkey } from '../../src/adapters/hono/index.js'
import type { Session, SessionData } from '../../src/index.js'
import { Sessions } from '../../src/index.js'
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
