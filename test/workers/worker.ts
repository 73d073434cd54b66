/**
 * The app the workerd tests run: latchkey on Hono and as a plain Web handler,
 * bundled by esbuild from the sources and loaded into workerd by Miniflare.
 */
import { Hono } from 'hono'
import { withSessions } from '../../src/adapters/fetch/index.js'
import { latchkey, loginRequired } from '../../src/adapters/hono/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { CookieStore } from '../../src/stores/cookie/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

// A fixed test key: the cookies are only ever read by this same worker.
const KEY = 'XHooZQq71ijmcikA5gK49hAluxbkXXkhLJjUbKx8GA0='

type Counter = { n: number }
type User = { id: string; name: string }

const memory = new Sessions<Counter>({ store: new MemoryStore(), warnLock: false })
const cookies = new Sessions<Counter>({
  store: new CookieStore({ keys: KEY }),
  name: 'sealed',
  cookie: { name: 'SEALED' },
})
const auth = new AuthSessions<Record<string, never>, User>({
  store: new CookieStore({ keys: KEY }),
})

const app = new Hono()
app.use(latchkey(memory, cookies, auth))
app.get('/hono/inc', async (c) => {
  await using s = await memory.of(c).lock()
  s.set('n', (s.get('n') ?? 0) + 1)
  return c.json({ n: s.get('n') })
})
app.get('/hono/sealed-inc', async (c) => {
  await using s = await cookies.of(c).lock()
  s.set('n', (s.get('n') ?? 0) + 1)
  return c.json({ n: s.get('n') })
})
app.get('/hono/unlocked', async (c) => {
  // A write without the lock: warns (LATCHKEY_UNLOCKED_ACCESS), where process.emitWarning may be missing.
  await cookies.of(c).set('n', 0)
  return c.json({ ok: true })
})
app.get('/hono/login', async (c) => {
  await auth.of(c).login({ id: '1', name: c.req.query('name') ?? 'ada' })
  return c.json({ ok: true })
})
app.get('/hono/me', loginRequired(auth), async (c) =>
  c.json({ user: await auth.of(c).currentUser() }),
)
app.get('/hono/logout', async (c) => {
  await auth.of(c).logout()
  return c.json({ ok: true })
})

const plain = withSessions([memory, auth], async (request) => {
  const path = new URL(request.url).pathname
  if (path === '/fetch/inc') {
    await using s = await memory.of(request).lock()
    s.set('n', (s.get('n') ?? 0) + 1)
    return Response.json({ n: s.get('n') })
  }
  if (path === '/fetch/me')
    return Response.json({ user: (await auth.of(request).currentUser()) ?? null })
  return new Response('Not Found', { status: 404 })
})

export default {
  fetch(request: Request): Response | Promise<Response> {
    return new URL(request.url).pathname.startsWith('/fetch/') ? plain(request) : app.fetch(request)
  },
}
