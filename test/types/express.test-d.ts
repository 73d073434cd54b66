// Compile-only: `npm run typecheck` proves the Express request augmentation.
import express from 'express'
import { latchkey } from '../../src/adapters/express/index.js'
import type { LockedSession, Session, SessionData } from '../../src/index.js'
import { Sessions } from '../../src/index.js'
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
