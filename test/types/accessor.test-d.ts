// Compile-only: `npm run typecheck` proves that `of()` types a request's session from its manager.
import Fastify from 'fastify'
import { Hono } from 'hono'
import { latchkey as fastifyLatchkey } from '../../src/adapters/fastify/index.js'
import { latchkey as honoLatchkey } from '../../src/adapters/hono/index.js'
import type { AuthSession, Session } from '../../src/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const sessions = new Sessions<{ cart: string[]; visits: number }>({ store: new MemoryStore() })
const auth = new AuthSessions<{ theme: 'dark' | 'light' }, { id: string; name: string }>({
  store: new MemoryStore(),
})

const app = Fastify()
await app.register(fastifyLatchkey(sessions, auth))
app.post('/cart', async (req) => {
  const session: Session<{ cart: string[]; visits: number }> = sessions.of(req)
  await using s = await session.lock()
  const cart: string[] = s.get('cart') ?? []
  s.set('cart', [...cart, 'apple'])
  // @ts-expect-error the manager's data has no such key
  s.get('cat')
  // @ts-expect-error visits is a number
  s.set('visits', 'one')
  const me: AuthSession<{ theme: 'dark' | 'light' }, { id: string; name: string }> = auth.of(req)
  const user = await me.currentUser()
  const name: string | undefined = user?.name
  // @ts-expect-error the theme is one of two
  await me.set('theme', 'blue')
  return { cart, name }
})

const hono = new Hono()
hono.use(honoLatchkey(sessions))
hono.get('/', async (c) => {
  const visits: number | undefined = await sessions.of(c).get('visits')
  return c.json({ visits: visits ?? 0 })
})

// @ts-expect-error of() takes the framework's request object
sessions.of('req')
