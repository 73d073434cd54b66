// Compile-only: `npm run typecheck` proves the Koa context augmentation.
import Koa from 'koa'
import { latchkey } from '../../src/adapters/koa/index.js'
import type { Session, SessionData } from '../../src/index.js'
import { Sessions } from '../../src/index.js'
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
