// A Passport app moved onto latchkey, on the example-app contract: `npm run example -- express-passport`.
// Where it had `app.use(expressSession({ store, secret }))`, it mounts latchkey and
// expressSessionCompat(); its Passport code (strategy, serializeUser, passport.session(),
// req.login, req.logout) is unchanged.
import express from 'express'
import { AuthSessions } from 'latchkey'
import { expressSessionCompat, latchkey, loginRequired } from 'latchkey/express'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import { checkLogin } from '../shared/account.js'
import { chooseStore } from '../shared/store.js'

const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
const cookie = { secure: process.env.NODE_ENV === 'production' }
// With AuthSessions, Passport's login is latchkey's: a new id, the per-user index, logoutEverywhere.
const auth = new AuthSessions({ store, cookie })

passport.use(
  new LocalStrategy({ usernameField: 'user' }, (user, password, done) =>
    done(null, checkLogin({ user, password }) ?? false),
  ),
)
passport.serializeUser((user, done) => done(null, user.id))
passport.deserializeUser((id, done) => done(null, { id }))

const app = express()
app.use(express.json())
app.use(latchkey(auth), expressSessionCompat(auth))
app.use(passport.initialize())
app.use(passport.session())

app.post('/inc', async (req, res) => {
  // Property access (req.session.n = …) takes no lock: concurrent requests would lose increments.
  // The latchkey session beside it does: `await using s = await req.authSession.lock()` in TypeScript.
  const n = await req.authSession.withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  res.json({ n })
})
app.get('/read', (req, res) => {
  res.json({ n: req.session.n ?? 0 })
})
app.post('/login', passport.authenticate('local'), (req, res) => {
  res.json({ user: req.user.id })
})
app.get('/account', loginRequired(auth), (req, res) => {
  res.json({ user: req.user.id })
})
app.post('/logout', (req, res, next) => {
  req.logout((error) => (error ? next(error) : res.json({ ok: true })))
})

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(
    `latchkey on Express with Passport, ${label}: http://127.0.0.1:${server.address().port}`,
  ),
)
