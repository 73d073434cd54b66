/**
 * The app the runtime tests run: latchkey on Hono and as a plain Web handler,
 * served on a free port, which it prints as `port=<n>`: by Bun.serve and
 * Deno.serve from the TypeScript sources, on Node bundled by esbuild first. With REDIS_URL, the counter lives
 * in Redis (node-redis); otherwise in a MemoryStore.
 */
import { Hono } from 'hono'
import { createClient } from 'redis'
import { withSessions } from '../../src/adapters/fetch/index.js'
import { latchkey, loginRequired } from '../../src/adapters/hono/index.js'
import { AuthSessions, type SessionStore, Sessions } from '../../src/index.js'
import { CookieStore } from '../../src/stores/cookie/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'

declare const Bun:
  | {
      serve(options: {
        port: number
        hostname: string
        fetch: (request: Request) => Promise<Response>
      }): { port: number }
    }
  | undefined
declare const Deno:
  | {
      serve(
        options: { port: number; hostname: string; onListen(address: { port: number }): void },
        handler: (request: Request) => Promise<Response>,
      ): unknown
    }
  | undefined

const KEY = 'XHooZQq71ijmcikA5gK49hAluxbkXXkhLJjUbKx8GA0='

type Counter = { n: number }
type User = { id: string; name: string }

async function counterStore(): Promise<SessionStore> {
  const url = globalThis.process?.env.REDIS_URL
  if (!url) return new MemoryStore()
  const client = createClient({ url })
  await client.connect()
  return new RedisStore({ client, prefix: `runtime-${Math.random().toString(36).slice(2)}:` })
}

const counter = new Sessions<Counter>({ store: await counterStore(), warnLock: false })
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
app.get('/hono/inc', async (c) => {
  await using s = await counter.of(c).lock()
  s.set('n', (s.get('n') ?? 0) + 1)
  return c.json({ n: s.get('n') })
})
app.get('/hono/sealed-inc', async (c) => {
  await using s = await sealed.of(c).lock()
  s.set('n', (s.get('n') ?? 0) + 1)
  return c.json({ n: s.get('n') })
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
  if (path === '/fetch/inc') {
    await using s = await counter.of(request).lock()
    s.set('n', (s.get('n') ?? 0) + 1)
    return Response.json({ n: s.get('n') })
  }
  if (path === '/fetch/me')
    return Response.json({ user: (await auth.of(request).currentUser()) ?? null })
  return new Response('Not Found', { status: 404 })
})

const handler = async (request: Request): Promise<Response> =>
  new URL(request.url).pathname.startsWith('/fetch/') ? plain(request) : app.fetch(request)

if (typeof Bun !== 'undefined') {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler })
  console.log(`port=${server.port}`)
} else if (typeof Deno !== 'undefined') {
  Deno.serve(
    { port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log(`port=${port}`) },
    handler,
  )
} else {
  // Node: through @hono/node-server, as a Node app would serve Web handlers.
  const { serve } = await import('@hono/node-server')
  serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, ({ port }) =>
    console.log(`port=${port}`),
  )
}
