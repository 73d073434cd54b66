// latchkey on h3 1.x (the h3 of Nitro 2 and Nuxt 3/4) on node:http, on the example-app contract: `npm run example -- h3`
import { createServer } from 'node:http'
import {
  createApp,
  createRouter,
  defineEventHandler,
  readBody,
  setResponseStatus,
  toNodeListener,
} from 'h3'
import { AuthSessions, Sessions } from 'latchkey'
import { answerSessionError, latchkey, loginRequired } from 'latchkey/h3'
import { checkLogin } from '../shared/account.js'
import { chooseStore } from '../shared/store.js'

const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
const cookie = { secure: process.env.NODE_ENV === 'production' }
const sessions = new Sessions({ store, cookie })
const auth = new AuthSessions({ store, cookie })

// answerSessionError: a lock timeout or a store outage escaping a route answers 503 with Retry-After.
const app = createApp({ onError: answerSessionError })
app.use(latchkey(sessions, auth))

const router = createRouter()
  .post(
    '/inc',
    defineEventHandler(async (event) => {
      // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
      // (`await using s = await event.context.session.lock()` in TypeScript, where Node 20 has no `using` in JS.)
      const n = await event.context.session.withLock((s) => {
        const next = (s.get('n') ?? 0) + 1
        s.set('n', next)
        return next
      })
      return { n }
    }),
  )
  .get(
    '/read',
    defineEventHandler(async (event) => ({ n: (await event.context.session.get('n')) ?? 0 })),
  )
  .post(
    '/login',
    defineEventHandler(async (event) => {
      const user = checkLogin(await readBody(event).catch(() => undefined))
      if (!user) {
        setResponseStatus(event, 401)
        return { error: 'wrong user or password' }
      }
      await event.context.authSession.login(user) // a new session id: no fixation
      return { user: user.id }
    }),
  )
  .get(
    '/account',
    defineEventHandler({
      onRequest: [loginRequired(auth)],
      handler: async (event) => ({ user: (await event.context.authSession.currentUser()).id }),
    }),
  )
  .post(
    '/logout',
    defineEventHandler(async (event) => {
      await event.context.authSession.logout()
      return { ok: true }
    }),
  )
app.use(router)

const server = createServer(toNodeListener(app))
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`latchkey on h3, ${label}: http://127.0.0.1:${server.address().port}`),
)
