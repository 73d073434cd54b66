/** latchkey/fetch beyond the shared matrix: called directly with Web Requests, no server. */
import { describe, expect, it } from 'vitest'
import { openSessions, withSessions } from '../../src/adapters/fetch/index.js'
import { AuthSessions, SessionConfigError, Sessions, SessionUsageError } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const cookieOf = (response: Response) => response.headers.getSetCookie()[0]?.split(';')[0]

describe('latchkey/fetch', () => {
  const sessions = new Sessions<{ n: number }>({ store: new MemoryStore() })
  const count = withSessions(sessions, async (request) => {
    await using s = await sessions.of(request).lock()
    const n = (s.get('n') ?? 0) + 1
    s.set('n', n)
    return Response.json({ n })
  })

  it('counts with a cookie across direct calls, 200 at a time, losing none', async () => {
    const first = await count(new Request('https://app.test/'))
    const cookie = cookieOf(first) as string
    expect(cookie).toMatch(/^SESSION=[A-Za-z0-9_-]{43}$/)
    await Promise.all(
      Array.from({ length: 200 }, () =>
        count(new Request('https://app.test/', { headers: { cookie } })),
      ),
    )
    const last = await count(new Request('https://app.test/', { headers: { cookie } }))
    expect(await last.json()).toEqual({ n: 202 })
  })

  it('passes the runtime arguments through (Bun server, worker env and ctx)', async () => {
    const handler = withSessions(sessions, async (_request, env: { name: string }, ctx: number) =>
      Response.json({ name: env.name, ctx }),
    )
    const response = await handler(new Request('https://app.test/'), { name: 'env' }, 7)
    expect(await response.json()).toEqual({ name: 'env', ctx: 7 })
  })

  it('opens sessions from Headers or a cookie header, and respond() adds the cookie', async () => {
    const first = openSessions(null, sessions)
    await first.get(sessions).set('n', 41)
    const cookie = cookieOf(await first.respond(new Response('ok'))) as string

    const fromHeaders = openSessions(new Headers({ cookie }), [sessions])
    expect(await fromHeaders.get(sessions).get('n')).toBe(41)
    await fromHeaders.finish()
    const fromString = openSessions(cookie, sessions)
    expect(await fromString.get(sessions).get('n')).toBe(41)
    // Immutable headers: the response is copied, body and all.
    const redirect = await fromString.respond(Response.redirect('https://app.test/next', 303))
    expect(redirect.status).toBe(303)
    expect(redirect.headers.get('location')).toBe('https://app.test/next')
  })

  it('finds sessions through a Request only for the managers it was opened with', async () => {
    const other = new Sessions({ store: new MemoryStore(), name: 'other', cookie: { name: 'O' } })
    const request = new Request('https://app.test/')
    openSessions(request, sessions)
    expect(sessions.of(request)).toBeDefined()
    expect(() => other.of(request)).toThrow(SessionUsageError)
    expect(() => sessions.of(new Request('https://app.test/'))).toThrow(SessionUsageError)
  })

  it('answers a session error with its own response, and rethrows others after saving', async () => {
    const impatient = new Sessions({ store: new MemoryStore(), lock: { timeout: 0.05 } })
    const held = withSessions(impatient, async (request) => {
      const s = await impatient.of(request).lock()
      s.set('n', 1)
      await new Promise((resolve) => setTimeout(resolve, 300))
      await s.release()
      return new Response('held')
    })
    const first = await held(new Request('https://app.test/'))
    const cookie = cookieOf(first) as string
    const waiting = held(new Request('https://app.test/', { headers: { cookie } }))
    await new Promise((resolve) => setTimeout(resolve, 20))
    const timedOut = await held(new Request('https://app.test/', { headers: { cookie } }))
    expect(timedOut.status).toBe(503)
    expect(timedOut.headers.get('retry-after')).toBe('1')
    expect(await timedOut.json()).toEqual({
      error: 'Service Unavailable',
      code: 'LATCHKEY_LOCK_TIMEOUT',
    })
    expect((await waiting).status).toBe(200)

    const boom = withSessions(sessions, async (request) => {
      const s = await sessions.of(request).lock()
      s.set('n', 99)
      throw new Error('boom')
    })
    const request = new Request('https://app.test/')
    await expect(boom(request)).rejects.toThrow('boom')
    // The lock the handler never released was released.
    expect(sessions.of(request).isLocked).toBe(false)
  })

  it('refuses what is not a handler, a manager or a Response', async () => {
    expect(() => withSessions([], async () => new Response())).toThrow(SessionConfigError)
    expect(() => withSessions(sessions, 'nope' as never)).toThrow(SessionConfigError)
    const auth = new AuthSessions({ store: new MemoryStore() })
    expect(() => withSessions([sessions, auth, sessions], async () => new Response())).toThrow(
      /request property "session"/,
    )
    const broken = withSessions(sessions, async () => 'text' as unknown as Response)
    await expect(broken(new Request('https://app.test/'))).rejects.toThrow(TypeError)
  })
})
