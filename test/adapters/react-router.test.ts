/** latchkey/react-router beyond the shared matrix: UI routes, document and `.data` requests, through React Router's request handler. */
import { createRequestHandler, data, redirect } from 'react-router'
import { describe, expect, it } from 'vitest'
import { loginRequired, withSessions } from '../../src/adapters/react-router/index.js'
import { AuthSessions, SessionConfigError, Sessions } from '../../src/index.js'
import { serverBuild } from '../support/react-router-build.js'
import { OutageStore } from './outage-store.js'

type Args = { request: Request }
const store = new OutageStore()
const sessions = new Sessions<{ n: number; note: string }>({ store, warnLock: false })
const auth = new AuthSessions<Record<string, never>, { id: string }>({ store: new OutageStore() })

const increment = withSessions(sessions, async ({ request }: Args) => {
  await using s = await sessions.of(request).lock()
  s.set('n', (s.get('n') ?? 0) + 1)
  return { n: s.get('n') }
})

const handler = createRequestHandler(
  serverBuild([
    { id: 'count', path: 'count', module: { loader: increment, default: () => null } },
    {
      id: 'noted',
      path: 'noted',
      module: {
        loader: withSessions(sessions, async ({ request }: Args) => {
          await sessions.of(request).set('note', 'data')
          return data({ ok: true }, { status: 201, headers: { 'x-app': '1' } })
        }),
        action: withSessions(sessions, async ({ request }: Args) => {
          await sessions.of(request).set('note', String((await request.formData()).get('note')))
          throw redirect('/count')
        }),
        // Without a headers export React Router passes on a loader's cookies only.
        headers: ({ loaderHeaders }: { loaderHeaders: Headers }) => loaderHeaders,
        default: () => null,
      },
    },
    {
      id: 'login',
      path: 'login',
      module: {
        action: withSessions(auth, async ({ request }: Args) => {
          await auth.of(request).login({ id: 'ada' })
          throw redirect('/account')
        }),
      },
    },
    {
      id: 'account',
      path: 'account',
      module: {
        loader: withSessions(
          auth,
          loginRequired(auth, {
            onUnauthenticated: () => new Response('custom', { status: 404 }),
          })(async ({ request }: Args) => ({ user: await auth.of(request).currentUser() })),
        ),
        default: () => null,
      },
    },
  ]),
  'test',
)

const cookieOf = (response: Response) => response.headers.getSetCookie()[0]?.split(';')[0] ?? ''
const get = (path: string, cookie = '') =>
  handler(new Request(`http://app.test${path}`, { headers: { cookie } }))

describe('latchkey/react-router', () => {
  it('a UI route: the plain value becomes data() with the cookie, on a document and a .data request', async () => {
    const first = await get('/count')
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toMatch(/^text\/html/)
    const cookie = cookieOf(first)
    expect(cookie).toMatch(/^SESSION=/)
    const second = await get('/count.data', cookie)
    expect(second.status).toBe(200)
    expect(await second.text()).toContain('"n",2')
    expect(second.headers.getSetCookie()).toEqual([])
  })

  it('data(value, init) keeps its status and headers and gets the cookie', async () => {
    const response = await get('/noted')
    expect(response.status).toBe(201)
    expect(response.headers.get('x-app')).toBe('1')
    expect(cookieOf(response)).toMatch(/^SESSION=/)
  })

  it('an action reads its own body, and the redirect it throws carries the cookie', async () => {
    const response = await handler(
      new Request('http://app.test/noted.data', {
        method: 'POST',
        body: new URLSearchParams({ note: 'posted' }),
        headers: { origin: 'http://app.test' },
      }),
    )
    const cookie = cookieOf(response)
    expect(cookie).toMatch(/^SESSION=/)
    const session = sessions.open({ cookie })
    expect(await session.get('note')).toBe('posted')
    await session.finish()
  })

  it('login in an action; the guard lets the user in, else throws what onUnauthenticated gives', async () => {
    const denied = await get('/account')
    expect(denied.status).toBe(404)
    expect(denied.headers.getSetCookie()).toEqual([])
    const login = await handler(
      new Request('http://app.test/login', {
        method: 'POST',
        headers: { origin: 'http://app.test' },
      }),
    )
    expect(login.status).toBe(302)
    expect(login.headers.get('location')).toBe('/account')
    const account = await get('/account.data', cookieOf(login))
    expect(account.status).toBe(200)
    expect(await account.text()).toContain('"ada"')
  })

  it('a store outage in a UI route loader renders its error boundary with 503', async () => {
    const cookie = cookieOf(await get('/count'))
    store.down = true
    const failed = await get('/count', cookie).finally(() => {
      store.down = false
    })
    expect(failed.status).toBe(503)
    expect(failed.headers.getSetCookie()).toEqual([])
  })

  it('checks its arguments when the loader is made', () => {
    expect(() => withSessions([], async () => null)).toThrow(SessionConfigError)
    expect(() => withSessions(sessions, undefined as never)).toThrow(SessionConfigError)
    expect(() => loginRequired(sessions as never)).toThrow(SessionConfigError)
  })
})
