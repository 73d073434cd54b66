/**
 * What SvelteKit has beyond the matrix's routes, on the same real build
 * (test/adapters/sveltekit-app): loads and form actions that throw, the guard
 * on pages and their `__data.json`, two latchkey hooks in one `sequence`,
 * `sessions.of(event.request)`, and a streamed load.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { error, json, type RequestEvent, redirect } from '@sveltejs/kit'
import { sequence } from '@sveltejs/kit/hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleSessionError, latchkey, loginRequired } from '../../src/adapters/sveltekit/index.js'
import { AuthSessions, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar } from '../support/http.js'
import { type KitPage, startKitApp } from './apps/sveltekit.js'
import type { RunningApp } from './routes.js'

type Data = { n: number; via: string }
type User = { id: string }

const sessions = new Sessions<Data>({ store: new MemoryStore(), warnLock: false })
const auth = new AuthSessions<Record<string, never>, User>({ store: new MemoryStore() })
const locals = (event: RequestEvent) =>
  event.locals as unknown as {
    session: ReturnType<typeof sessions.of>
    authSession: ReturnType<typeof auth.of>
  }

const routes = new Map<string, (event: RequestEvent) => Promise<Response>>([
  [
    'inc',
    async (event) => {
      await using s = await locals(event).session.lock()
      s.set('n', (s.get('n') ?? 0) + 1)
      return json({ n: s.get('n') })
    },
  ],
  [
    'read',
    async (event) =>
      json({
        n: (await locals(event).session.get('n')) ?? 0,
        via: (await locals(event).session.get('via')) ?? null,
      }),
  ],
  [
    'login',
    async (event) => {
      await locals(event).authSession.login({ id: 'ada' })
      await locals(event).session.set('via', 'login')
      return json({ ok: true })
    },
  ],
  ['same', async (event) => json({ same: sessions.of(event.request) === locals(event).session })],
])

const pages = new Map<string, KitPage>([
  [
    'action-redirect',
    {
      // The lock is never released here: the hook must release it.
      action: async (event) => {
        const s = await locals(event).session.lock()
        s.set('n', (s.get('n') ?? 0) + 1)
        redirect(303, '/read')
      },
    },
  ],
  [
    'load-error',
    {
      load: async (event) => {
        const s = await locals(event).session.lock()
        s.set('n', (s.get('n') ?? 0) + 1)
        error(418, 'teapot')
      },
    },
  ],
  ['guarded', { load: guardedLoad(loginRequired(auth, { redirectTo: '/login' })) }],
  ['guarded-401', { load: guardedLoad(loginRequired(auth)) }],
  [
    'guarded-404',
    { load: guardedLoad(loginRequired(auth, { onUnauthenticated: () => error(404, 'Not here') })) },
  ],
  [
    'streamed',
    {
      load: async (event) => {
        await locals(event).session.set('via', 'load')
        const later = sleep(50).then(() =>
          locals(event)
            .session.set('via', 'late')
            .then(
              () => 'written',
              (reason: { code?: string }) => String(reason.code),
            ),
        )
        return { later }
      },
    },
  ],
])

function guardedLoad(guard: ReturnType<typeof loginRequired>) {
  return async (event: RequestEvent) => {
    await guard(event)
    return { user: (await locals(event).authSession.currentUser())?.id }
  }
}

let app: RunningApp
let twoHooks: RunningApp
let noHook: RunningApp

beforeAll(async () => {
  app = await startKitApp({
    handle: latchkey(sessions, auth),
    handleError: handleSessionError,
    routes,
    pages,
  })
  twoHooks = await startKitApp({
    handle: sequence(latchkey(sessions), latchkey(auth)),
    handleError: handleSessionError,
    routes,
    pages,
  })
  noHook = await startKitApp({
    handle: ({ event, resolve }) => resolve(event),
    handleError: () => {},
    routes,
    pages,
  })
})

afterAll(async () => {
  await app?.close()
  await twoHooks?.close()
  await noHook?.close()
})

const form = (jar: CookieJar, url: string) =>
  jar.fetch(url, {
    method: 'POST',
    // A browser's form post (no JavaScript): an HTML page is what it accepts.
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(url).origin,
    },
    body: '',
  })

/** An /inc that must not wait: the lock is free. */
async function incrementsAtOnce(jar: CookieJar, base: string): Promise<number> {
  const started = Date.now()
  const reply = await jar.fetch(`${base}/inc`)
  expect(reply.status).toBe(200)
  expect(Date.now() - started).toBeLessThan(1000)
  return reply.json<{ n: number }>().n
}

describe('SvelteKit 2 pages and actions', () => {
  it('a form action throwing redirect() with the lock still held: 303 with the cookie, saved, unlocked', async () => {
    const jar = new CookieJar()
    const reply = await form(jar, `${app.url}/page/action-redirect`)
    expect(reply.status, reply.body).toBe(303)
    expect(reply.headers.get('location')).toBe('/read')
    expect(reply.setCookies.filter((c) => c.startsWith('SESSION='))).toHaveLength(1)
    expect(await incrementsAtOnce(jar, app.url)).toBe(2)
  })

  it('a load throwing error() with the lock held: the error page with its status, saved, unlocked', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${app.url}/inc`)
    const reply = await jar.fetch(`${app.url}/page/load-error`)
    expect(reply.status).toBe(418)
    expect(reply.body).toContain('teapot')
    expect(await incrementsAtOnce(jar, app.url)).toBe(3)
  })

  it('the guard redirects a page with the path in next, and its __data.json with SvelteKit JSON redirect', async () => {
    const page = await new CookieJar().fetch(`${app.url}/page/guarded?tab=2`)
    expect(page.status).toBe(303)
    expect(page.headers.get('location')).toBe('/login?next=%2Fpage%2Fguarded%3Ftab%3D2')
    expect(page.headers.get('cache-control')).toBe('no-store')
    const data = await new CookieJar().fetch(`${app.url}/page/guarded/__data.json?tab=2`)
    expect(data.status).toBe(200)
    expect(data.json()).toEqual({
      type: 'redirect',
      location: '/login?next=%2Fpage%2Fguarded%3Ftab%3D2',
    })
  })

  it('the guard without redirectTo renders the error page with 401; after login the load runs', async () => {
    const jar = new CookieJar()
    const denied = await jar.fetch(`${app.url}/page/guarded-401`)
    expect(denied.status).toBe(401)
    expect(denied.headers.get('content-type')).toMatch(/^text\/html/)
    expect(denied.body).toContain('Login required')
    await jar.fetch(`${app.url}/login`)
    const allowed = await jar.fetch(`${app.url}/page/guarded-401`)
    expect(allowed.status).toBe(200)
    expect(allowed.body).toContain('<p id="data">{"user":"ada"}</p>')
  })

  it('the guard answers what onUnauthenticated throws', async () => {
    const reply = await new CookieJar().fetch(`${app.url}/page/guarded-404`)
    expect(reply.status).toBe(404)
    expect(reply.body).toContain('Not here')
  })

  it('the guard without the latchkey hook fails (500), never lets the request through', async () => {
    const reply = await new CookieJar().fetch(`${noHook.url}/page/guarded-401`)
    expect(reply.status).toBe(500)
    expect(reply.body).not.toContain('"user"')
  })

  it('sessions.of(event.request) is event.locals.session', async () => {
    expect((await new CookieJar().fetch(`${app.url}/same`)).json()).toEqual({ same: true })
  })

  it('two latchkey() hooks in one sequence: both managers, both cookies, each saved once', async () => {
    const jar = new CookieJar()
    const login = await jar.fetch(`${twoHooks.url}/login`)
    expect(login.status).toBe(200)
    expect(login.setCookies.map((c) => c.split('=')[0]).sort()).toEqual([
      'SECURE_SESSION',
      'SESSION',
    ])
    expect(await incrementsAtOnce(jar, twoHooks.url)).toBe(1)
    const guarded = await jar.fetch(`${twoHooks.url}/page/guarded-401`)
    expect(guarded.status).toBe(200)
  })

  it('a streamed load cannot change the session: its late write is not saved', async () => {
    const jar = new CookieJar()
    const reply = await jar.fetch(`${app.url}/page/streamed`)
    expect(reply.status).toBe(200)
    expect(reply.setCookies.filter((c) => c.startsWith('SESSION='))).toHaveLength(1)
    // The streamed promise settled after the page was sent: the late write was made.
    expect(reply.body).toMatch(/\.resolve\(1, \(\) => \["[\w ]+"\]\)/)
    expect((await jar.fetch(`${app.url}/read`)).json()).toMatchObject({ via: 'load' })
  })
})
