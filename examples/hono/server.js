// latchkey on Hono (Node), on the example-app contract: `npm run example -- hono`
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { AuthSessions, Sessions } from 'latchkey'
import { latchkey, loginRequired } from 'latchkey/hono'
import { checkLogin } from '../shared/account.js'
import { chooseStore } from '../shared/store.js'

const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
const cookie = { secure: process.env.NODE_ENV === 'production' }
const sessions = new Sessions({ store, cookie })
const auth = new AuthSessions({ store, cookie })

const app = new Hono()
app.use(latchkey(sessions, auth))

app.post('/inc', async (c) => {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await c.get('session').lock()` in TypeScript, where Node 20 has no `using` in JS.)
  const n = await c.get('session').withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  return c.json({ n })
})
app.get('/read', async (c) => c.json({ n: (await c.get('session').get('n')) ?? 0 }))
app.post('/login', async (c) => {
  const user = checkLogin(await c.req.json().catch(() => undefined))
  if (!user) return c.json({ error: 'wrong user or password' }, 401)
  await c.get('authSession').login(user) // a new session id: no fixation
  return c.json({ user: user.id })
})
app.get('/account', loginRequired(auth), async (c) =>
  c.json({ user: (await c.get('authSession').currentUser()).id }),
)
app.post('/logout', async (c) => {
  await c.get('authSession').logout()
  return c.json({ ok: true })
})

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) =>
  console.log(`latchkey on Hono, ${label}: http://127.0.0.1:${info.port}`),
)
