import Fastify, { type FastifyInstance } from 'fastify'
import { latchkey, loginRequired } from '../../src/adapters/fastify/index.js'
import type { AuthSessionsOptions, LoginOptions } from '../../src/index.js'
import { AuthSessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { listen } from '../support/http.js'

/** A user as the tests log them in. */
export interface User {
  id: string
  name: string
}

/** Lets a test hold a request at a named point and release it later. */
export class Gates {
  readonly #waiting = new Map<string, { reached: () => void; open: Promise<void> }>()
  readonly #reached = new Map<string, Promise<void>>()
  readonly #openers = new Map<string, () => void>()

  /** Prepares gate `name`; returns a promise resolved when a request reaches it. */
  arm(name: string): Promise<void> {
    let reached!: () => void
    const reachedPromise = new Promise<void>((resolve) => {
      reached = resolve
    })
    let opener!: () => void
    const open = new Promise<void>((resolve) => {
      opener = resolve
    })
    this.#waiting.set(name, { reached, open })
    this.#reached.set(name, reachedPromise)
    this.#openers.set(name, opener)
    return reachedPromise
  }

  /** Lets the request waiting at `name` go on. */
  open(name: string): void {
    this.#openers.get(name)?.()
  }

  /** Releases every request still waiting (after a failed test). */
  openAll(): void {
    for (const open of this.#openers.values()) open()
  }

  /** Called by a route: waits at `name` when the test armed it. */
  async pass(name: string | undefined): Promise<void> {
    const gate = name === undefined ? undefined : this.#waiting.get(name)
    if (!gate) return
    gate.reached()
    await gate.open
  }
}

export interface AuthApp {
  app: FastifyInstance
  auth: AuthSessions<{ cart?: string[]; note?: string }, User>
  store: MemoryStore
  gates: Gates
  base: string
}

interface LoginBody {
  user: User
  options?: LoginOptions
}

/** A Fastify app with an AuthSessions manager and routes exercising it, listening on a free port. */
export async function startAuthApp(
  options: Partial<AuthSessionsOptions<User>> = {},
  store: MemoryStore = new MemoryStore(),
): Promise<AuthApp> {
  const app = Fastify()
  const auth = new AuthSessions<{ cart?: string[]; note?: string }, User>({
    store,
    warnLock: false,
    ...options,
  })
  const gates = new Gates()
  await app.register(latchkey(auth))
  const sessionOf = (req: { authSession: unknown }) =>
    req.authSession as ReturnType<typeof auth.open>

  app.post<{ Body: LoginBody }>('/login', async (req) => {
    await sessionOf(req).login(req.body.user, req.body.options)
    return { ok: true }
  })
  app.post<{ Body: LoginBody; Querystring: { gate?: string } }>('/login-locked', async (req) => {
    const session = sessionOf(req)
    await session.withLock(async (s) => {
      s.set('note', 'set in the lock before login')
      await gates.pass(req.query.gate)
      await session.login(req.body.user, req.body.options)
      return (await session.currentUser())?.id
    })
    return { ok: true }
  })
  app.post('/logout', async (req) => {
    await sessionOf(req).logout()
    return { ok: true }
  })
  app.post<{ Body: LoginBody }>('/logout-login', async (req) => {
    await sessionOf(req).logout()
    await sessionOf(req).login(req.body.user)
    return { ok: true }
  })
  app.post<{ Body: LoginBody }>('/logout-login-locked', async (req) => {
    const session = sessionOf(req)
    return session.withLock(async () => {
      await session.logout()
      const afterLogout = (await session.currentUser()) ?? null
      await session.login(req.body.user)
      return { afterLogout, afterLogin: (await session.currentUser()) ?? null }
    })
  })
  app.get('/me', async (req) => {
    const session = sessionOf(req)
    return { user: (await session.currentUser()) ?? null, data: await session.all() }
  })
  app.get('/me-locked', async (req) => {
    const session = sessionOf(req)
    return session.withLock(async () => ({ user: (await session.currentUser()) ?? null }))
  })
  app.post<{ Body: { item: string } }>('/cart', async (req) => {
    await sessionOf(req).withLock((s) => s.set('cart', [...(s.get('cart') ?? []), req.body.item]))
    return { ok: true }
  })
  app.get('/private', { preHandler: loginRequired(auth) }, async (req) => ({
    user: await sessionOf(req).currentUser(),
  }))
  app.post<{ Querystring: { gate?: string } }>('/slow-unlocked-write', async (req) => {
    const session = sessionOf(req)
    const user = await session.currentUser()
    await gates.pass(req.query.gate)
    await session.set('note', `written by a slow request of ${user?.id ?? 'nobody'}`)
    return { sawUser: user?.id ?? null }
  })
  app.post<{ Querystring: { gate?: string } }>('/slow-unlocked-clear', async (req) => {
    const session = sessionOf(req)
    const user = await session.currentUser()
    await gates.pass(req.query.gate)
    await session.clear()
    return { sawUser: user?.id ?? null }
  })
  app.post<{ Querystring: { gate?: string } }>('/slow-logout', async (req) => {
    const session = sessionOf(req)
    const user = await session.currentUser()
    await gates.pass(req.query.gate)
    await session.logout()
    return { sawUser: user?.id ?? null }
  })
  app.post<{ Querystring: { gate?: string } }>('/read-then-locked-write', async (req) => {
    const session = sessionOf(req)
    const user = await session.currentUser()
    await gates.pass(req.query.gate)
    await session.withLock((s) =>
      s.set('note', `written under the lock by ${user?.id ?? 'nobody'}`),
    )
    return { sawUser: user?.id ?? null }
  })
  app.post<{ Querystring: { gate?: string } }>('/slow-locked-write', async (req) => {
    const session = sessionOf(req)
    return session.withLock(async (s) => {
      const user = await session.currentUser()
      await gates.pass(req.query.gate)
      s.set('note', `written under the lock by ${user?.id ?? 'nobody'}`)
      return { sawUser: user?.id ?? null }
    })
  })
  app.get<{ Querystring: { gate?: string } }>('/slow-read', async (req) => {
    const session = sessionOf(req)
    const user = await session.currentUser()
    await gates.pass(req.query.gate)
    return { sawUser: user?.id ?? null }
  })
  app.post<{ Querystring: { others?: string } }>('/logout-everywhere', async (req) => {
    const session = sessionOf(req)
    const userId = await session.currentUserId()
    if (userId === undefined) return { ended: 0 }
    const ended = await auth.logoutEverywhere(
      userId,
      req.query.others === '1' ? { except: session } : {},
    )
    return { ended }
  })
  app.get('/sessions', async (req) => {
    const session = sessionOf(req)
    const userId = await session.currentUserId()
    return userId === undefined ? [] : auth.listSessions(userId, { current: session })
  })

  const base = await listen(app)
  return { app, auth, store, gates, base }
}

/** The JSON body of a login request. */
export function loginBody(
  user: User,
  options?: LoginOptions,
): { method: string; body: string; headers: Record<string, string> } {
  return { method: 'POST', body: JSON.stringify({ user, options }), headers: JSON_HEADERS }
}

/** A POST with a JSON body. */
export function post(body: unknown = {}): {
  method: string
  body: string
  headers: Record<string, string>
} {
  return { method: 'POST', body: JSON.stringify(body), headers: JSON_HEADERS }
}

export const JSON_HEADERS = { 'content-type': 'application/json' }
