// The latchkey demo: `npm start`, then open http://127.0.0.1:3000 (PORT overrides the port; 0 picks a free one).
import { timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import { AuthSessions, Sessions, sitePath } from 'latchkey'
import { latchkey, loginRequired } from 'latchkey/fastify'
import { chooseStore } from '../shared/store.js'
import { assetRoutes } from './assets.js'
import { BURST_SIZE, burstRoutes, racySessions, YIELD_MS } from './burst.js'
import { liveRoutes, liveStats } from './live.js'
import { accountPage, homePage, loginPage, sessionsPage } from './page.js'

/** The one account of the demo. A real app checks a password hash (scrypt, argon2) from its database. */
const ACCOUNT = { username: 'ada', password: 'lovelace', user: { id: 'ada', name: 'Ada Lovelace' } }

function sameText(a, b) {
  const left = Buffer.from(String(a))
  const right = Buffer.from(String(b))
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Content-Security-Policy of every answer: the demo loads nothing from anywhere else. */
const CSP = [
  "default-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** @param {{ store: import('latchkey').AnyStore, storeLabel?: string }} options */
export function buildDemo({ store, storeLabel = 'MemoryStore' }) {
  // Browsers accept Secure cookies from http://localhost and 127.0.0.1, so the defaults work here.
  const sessions = new Sessions({ store })
  const auth = new AuthSessions({ store, ttl: 8 * 3600, absoluteTimeout: 7 * 24 * 3600 })
  const racy = racySessions(store)
  const app = Fastify({ logger: false })
  app.register(latchkey(sessions, auth, racy))
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', CSP)
  })

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body))),
  )

  // SameSite=Lax keeps the session cookie off cross-site POSTs; checking the browser's
  // Fetch Metadata (or Origin) as well refuses cross-site form posts outright.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'POST') return
    const site = req.headers['sec-fetch-site']
    const origin = req.headers.origin
    const crossSite =
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (origin !== undefined && origin !== 'null' && new URL(origin).host !== req.headers.host)
    if (crossSite)
      return reply.code(403).type('text/plain').send('Cross-site form posts are refused.')
  })

  const html = (reply, body, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(body)
  const guard = loginRequired(auth, { redirectTo: '/login' })
  assetRoutes(app)
  burstRoutes(app)
  liveRoutes(app, liveStats())

  app.get('/', async (req, reply) => {
    // A locked read-modify-write: concurrent requests of this session cannot lose a visit.
    const visits = await req.session.withLock((s) => {
      const n = (s.get('visits') ?? 0) + 1
      s.set('visits', n)
      return n
    })
    const data = await req.session.withLock((s) => s.all())
    const user = await req.authSession.currentUser()
    return html(
      reply,
      homePage({
        visits,
        data,
        id: req.session.id,
        options: sessions.options.cookie,
        user,
        burstSize: BURST_SIZE,
        burstYieldMs: YIELD_MS,
        storeLabel,
      }),
    )
  })

  app.post('/reset', async (req, reply) => {
    await req.session.destroy()
    return reply.redirect('/', 303)
  })

  app.get('/login', async (req, reply) => {
    const user = await req.authSession.currentUser()
    const next = sitePath(req.query.next ?? '/account')
    return html(reply, loginPage({ next, account: ACCOUNT, user }))
  })

  app.post('/login', async (req, reply) => {
    const { username = '', password = '', remember, next = '/account' } = req.body ?? {}
    // Both compared, always: the answer's timing does not tell which one was wrong.
    const checks = [sameText(username, ACCOUNT.username), sameText(password, ACCOUNT.password)]
    if (!checks.every(Boolean)) {
      const page = loginPage({
        next: sitePath(next),
        error: 'Wrong user or password.',
        username,
        account: ACCOUNT,
        user: await req.authSession.currentUser(),
      })
      return html(reply, page, 401)
    }
    // login() gives the session a new id (no fixation) and wipes what it held before.
    await req.authSession.login(ACCOUNT.user, { rememberMe: remember === 'on' })
    // Shown once, by the page the redirect leads to (after login: login() starts from empty data).
    await req.authSession.flash('success', `Welcome back, ${ACCOUNT.user.name}.`)
    return reply.redirect(sitePath(next), 303)
  })

  app.post('/logout', async (req, reply) => {
    await req.authSession.logout()
    return reply.redirect('/', 303)
  })

  app.get('/account', { preHandler: guard }, async (req, reply) => {
    const user = await req.authSession.currentUser()
    const [current] = (await auth.listSessions(user.id, { current: req.authSession })).filter(
      (s) => s.current,
    )
    const notices = await req.authSession.flashes()
    return html(reply, accountPage({ user, createdAt: current?.createdAt, notices }))
  })

  app.get('/account/sessions', { preHandler: guard }, async (req, reply) => {
    const user = await req.authSession.currentUser()
    const list = await auth.listSessions(await req.authSession.currentUserId(), {
      current: req.authSession,
    })
    const ended = req.query.ended === undefined ? undefined : Number(req.query.ended) || 0
    return html(reply, sessionsPage({ user, sessions: list, ended }))
  })

  // "Sign out" beside one device: revokeSession ends it only if it is this user's.
  app.post('/account/sessions/:reference/sign-out', { preHandler: guard }, async (req, reply) => {
    const userId = await req.authSession.currentUserId()
    const ended = (await auth.revokeSession(userId, req.params.reference)) ? 1 : 0
    return reply.redirect(`/account/sessions?ended=${ended}`, 303)
  })

  app.post('/account/sessions/logout-others', { preHandler: guard }, async (req, reply) => {
    const userId = await req.authSession.currentUserId()
    const ended = await auth.logoutEverywhere(userId, { except: req.authSession })
    return reply.redirect(`/account/sessions?ended=${ended}`, 303)
  })

  return { app, sessions, auth, racy }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { store, label, close } = await chooseStore()
  const { app, sessions, auth, racy } = buildDemo({ store, storeLabel: label })
  // The managers first, then the client they used (the store never closes it).
  app.addHook('onClose', async () => {
    await Promise.all([sessions.close(), auth.close(), racy.close()])
    await close()
  })
  const port = Number(process.env.PORT ?? 3000)
  const address = await app.listen({ port, host: '127.0.0.1' })
  console.log(`session store: ${label}`)
  console.log(`latchkey demo on ${address}`)
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => app.close().then(() => process.exit(0)))
}
