// latchkey on Fastify, on the example-app contract: `npm run example -- fastify`; it also serves
// Prometheus metrics of its sessions' locks and store at GET /metrics (metrics.js).
import Fastify from 'fastify'
import { AuthSessions, Sessions } from 'latchkey'
import { latchkey, loginRequired } from 'latchkey/fastify'
import { checkLogin } from '../shared/account.js'
import { chooseStore } from '../shared/store.js'
import { registry } from './metrics.js'

const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
const cookie = { secure: process.env.NODE_ENV === 'production' }
const sessions = new Sessions({ store, cookie })
const auth = new AuthSessions({ store, cookie })

const app = Fastify()
await app.register(latchkey(sessions, auth))

app.post('/inc', async (req) => {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await req.session.lock()` in TypeScript, where Node 20 has no `using` in JS.)
  const n = await req.session.withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  return { n }
})
app.get('/read', async (req) => ({ n: (await req.session.get('n')) ?? 0 }))
app.post('/login', async (req, reply) => {
  const user = checkLogin(req.body)
  if (!user) return reply.code(401).send({ error: 'wrong user or password' })
  await req.authSession.login(user) // a new session id: no fixation
  return { user: user.id }
})
app.get('/account', { preHandler: loginRequired(auth) }, async (req) => ({
  user: (await req.authSession.currentUser()).id,
}))
app.post('/logout', async (req) => {
  await req.authSession.logout()
  return { ok: true }
})
app.get('/metrics', async (_req, reply) =>
  reply.type(registry.contentType).send(await registry.metrics()),
)

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
console.log(`latchkey on Fastify, ${label}: ${address}`)
