// latchkey on Express, on the example-app contract: `npm run example -- express`
import express from 'express'
import { AuthSessions, Sessions } from 'latchkey'
import { latchkey, loginRequired } from 'latchkey/express'
import { checkLogin } from '../shared/account.js'
import { chooseStore } from '../shared/store.js'

const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
const cookie = { secure: process.env.NODE_ENV === 'production' }
const sessions = new Sessions({ store, cookie })
const auth = new AuthSessions({ store, cookie })

const app = express()
app.use(express.json())
app.use(latchkey(sessions, auth))

app.post('/inc', async (req, res) => {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await req.session.lock()` in TypeScript, where Node 20 has no `using` in JS.)
  const n = await req.session.withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  res.json({ n })
})
app.get('/read', async (req, res) => {
  res.json({ n: (await req.session.get('n')) ?? 0 })
})
app.post('/login', async (req, res) => {
  const user = checkLogin(req.body)
  if (!user) return res.status(401).json({ error: 'wrong user or password' })
  await req.authSession.login(user) // a new session id: no fixation
  res.json({ user: user.id })
})
app.get('/account', loginRequired(auth), async (req, res) => {
  res.json({ user: (await req.authSession.currentUser()).id })
})
app.post('/logout', async (req, res) => {
  await req.authSession.logout()
  res.json({ ok: true })
})

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`latchkey on Express, ${label}: http://127.0.0.1:${server.address().port}`),
)
