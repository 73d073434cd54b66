/**
 * The worker the Durable Object tests run: the store's object class; a locked
 * counter on `withSessions`, and login on Hono, whose sessions live in that
 * object.
 */
import { Hono } from 'hono'
import { withSessions } from '../../src/adapters/fetch/index.js'
import { latchkey, loginRequired } from '../../src/adapters/hono/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import {
  DurableObjectStore,
  type SessionsNamespace,
} from '../../src/stores/durable-object/index.js'

export { LatchkeySessionsObject } from '../../src/stores/durable-object/index.js'

interface Env {
  SESSIONS: SessionsNamespace
}

type User = { id: string }

/** Login on Hono: `/auth/login?user=`, `/auth/me` behind the guard, `/auth/logout`, `/auth/logout-everywhere`. */
function loginApp(auth: AuthSessions<Record<string, never>, User>): Hono {
  const app = new Hono()
  app.use(latchkey(auth))
  app.get('/auth/login', async (c) => {
    await auth.of(c).login({ id: c.req.query('user') ?? 'ada' })
    return c.json({ ok: true })
  })
  app.get('/auth/me', loginRequired(auth), async (c) =>
    c.json({ user: (await auth.of(c).currentUser())?.id }),
  )
  app.get('/auth/logout', async (c) => {
    await auth.of(c).logout()
    return c.json({ ok: true })
  })
  app.get('/auth/logout-everywhere', loginRequired(auth), async (c) => {
    const user = await auth.of(c).currentUser()
    return c.json({ ended: await auth.logoutEverywhere(user?.id ?? '') })
  })
  return app
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // Managers per invocation, as a worker without module state has: the lock is the object's.
    const store = new DurableObjectStore({ namespace: env.SESSIONS })
    if (new URL(request.url).pathname.startsWith('/auth/'))
      return loginApp(new AuthSessions({ store })).fetch(request) as Promise<Response>
    const sessions = new Sessions<{ n: number }>({ store, lock: { timeout: 30 } })
    return withSessions([sessions], async (req) => {
      await using s = await sessions.of(req).lock()
      s.set('n', (s.get('n') ?? 0) + 1)
      return Response.json({ n: s.get('n') })
    })(request)
  },
}
