/**
 * The app every runtime test serves (Bun, Deno, Node, workerd): latchkey on
 * Hono under `/hono/`, and as a plain Web handler (`withSessions`) under
 * `/fetch/`, sharing the same managers.
 */
import { Hono } from 'hono'
import { withSessions } from '../../src/adapters/fetch/index.js'
import { latchkey, loginRequired } from '../../src/adapters/hono/index.js'
import { AuthSessions, type SessionStore, Sessions } from '../../src/index.js'
import { CookieStore } from '../../src/stores/cookie/index.js'

// A fixed test key: the cookies are only ever read by the app that sealed them.
const KEY = 'XHooZQq71ijmcikA5gK49hAluxbkXXkhLJjUbKx8GA0='

type Counter = { n: number }
type User = { id: string; name: string }

/** The app's handler; the counter lives in `store`, the other sessions in sealed cookies. */
export function webApp(store: SessionStore): (request: Request) => Promise<Response> {
  const counter = new Sessions<Counter>({ store, warnLock: false })
  const sealed = new Sessions<Counter>({
    store: new CookieStore({ keys: KEY }),
    name: 'sealed',
    cookie: { name: 'SEALED' },
  })
  const auth = new AuthSessions<Record<string, never>, User>({
    store: new CookieStore({ keys: KEY }),
  })

  const app = new Hono()
  app.use(latchkey(counter, sealed, auth))
  app.get('/hono/inc', async (c) =>
    c.json(
      await counter.of(c).withLock((s) => {
        s.set('n', (s.get('n') ?? 0) + 1)
        return { n: s.get('n') }
      }),
    ),
  )
  app.get('/hono/sealed-inc', async (c) =>
    c.json(
      await sealed.of(c).withLock((s) => {
        s.set('n', (s.get('n') ?? 0) + 1)
        return { n: s.get('n') }
      }),
    ),
  )
  app.get('/hono/unlocked', async (c) => {
    // A write without the lock: warns (LATCHKEY_UNLOCKED_ACCESS), also where process.emitWarning is missing.
    await sealed.of(c).set('n', 0)
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

  const plain = withSessions([counter, auth], async (request) => {
    const path = new URL(request.url).pathname
    if (path === '/fetch/inc')
      return Response.json(
        await counter.of(request).withLock((s) => {
          s.set('n', (s.get('n') ?? 0) + 1)
          return { n: s.get('n') }
        }),
      )
    if (path === '/fetch/me')
      return Response.json({ user: (await auth.of(request).currentUser()) ?? null })
    return new Response('Not Found', { status: 404 })
  })

  return async (request) =>
    new URL(request.url).pathname.startsWith('/fetch/') ? plain(request) : app.fetch(request)
}
