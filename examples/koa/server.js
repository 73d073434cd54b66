// latchkey on Koa, on the example-app contract: `npm run example -- koa`
import { bodyParser } from '@koa/bodyparser'
import Router from '@koa/router'
import Koa from 'koa'
import { AuthSessions, Sessions } from 'latchkey'
import { latchkey, loginRequired } from 'latchkey/koa'
import { checkLogin } from '../shared/account.js'
import { chooseStore } from '../shared/store.js'

const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
const cookie = { secure: process.env.NODE_ENV === 'production' }
const sessions = new Sessions({ store, cookie })
const auth = new AuthSessions({ store, cookie })

const app = new Koa()
const router = new Router()
app.use(bodyParser())
app.use(latchkey(sessions, auth))

router.post('/inc', async (ctx) => {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await ctx.session.lock()` in TypeScript, where Node 20 has no `using` in JS.)
  const n = await ctx.session.withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  ctx.body = { n }
})
router.get('/read', async (ctx) => {
  ctx.body = { n: (await ctx.session.get('n')) ?? 0 }
})
router.post('/login', async (ctx) => {
  const user = checkLogin(ctx.request.body)
  if (!user) {
    ctx.status = 401
    ctx.body = { error: 'wrong user or password' }
    return
  }
  await ctx.authSession.login(user) // a new session id: no fixation
  ctx.body = { user: user.id }
})
router.get('/account', loginRequired(auth), async (ctx) => {
  ctx.body = { user: (await ctx.authSession.currentUser()).id }
})
router.post('/logout', async (ctx) => {
  await ctx.authSession.logout()
  ctx.body = { ok: true }
})
app.use(router.routes())

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`latchkey on Koa, ${label}: http://127.0.0.1:${server.address().port}`),
)
