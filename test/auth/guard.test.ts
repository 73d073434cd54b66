import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey, loginRequired } from '../../src/adapters/fastify/index.js'
import { AuthSessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, listen, request } from '../support/http.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }

describe('loginRequired (Fastify)', () => {
  const app = Fastify()
  const auth = new AuthSessions({ store: new MemoryStore(), warnLock: false })
  let base = ''
  const member = new CookieJar()

  beforeAll(async () => {
    await app.register(latchkey(auth))
    app.post('/login', async (req) => {
      await req.authSession.login(ada)
      return { ok: true }
    })
    const secret = async () => ({ secret: 42 })
    app.get('/api', { preHandler: loginRequired(auth) }, secret)
    app.options('/api', { preHandler: loginRequired(auth) }, async () => ({ preflight: true }))
    app.options('/strict', { preHandler: loginRequired(auth, { exemptMethods: [] }) }, secret)
    app.get('/page', { preHandler: loginRequired(auth, { redirectTo: '/login' }) }, secret)
    app.post('/page', { preHandler: loginRequired(auth, { redirectTo: '/login?lang=en' }) }, secret)
    app.get(
      '/found',
      {
        preHandler: loginRequired(auth, {
          redirectTo: '/signin',
          redirectStatus: 302,
          nextParam: 'to',
        }),
      },
      secret,
    )
    app.get(
      '/hidden',
      {
        preHandler: loginRequired(auth, {
          onUnauthenticated: (_req, reply) => reply.code(404).send({ error: 'Not Found' }),
        }),
      },
      secret,
    )
    app.get(
      '/silent-handler',
      { preHandler: loginRequired(auth, { onUnauthenticated: () => undefined }) },
      secret,
    )
    app.get('/*', { preHandler: loginRequired(auth, { redirectTo: '/login' }) }, secret)
    base = await listen(app)
    await member.fetch(`${base}/login`, { method: 'POST' })
  })
  afterAll(() => app.close())

  it('answers 401 with a small JSON body by default', async () => {
    const reply = await request(`${base}/api`)
    expect(reply.status).toBe(401)
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(reply.headers.get('cache-control')).toBe('no-store')
    expect(reply.json()).toEqual({ error: 'Unauthorized', message: 'Login required' })
  })

  it('lets a logged-in user through', async () => {
    expect((await member.fetch(`${base}/api`)).json()).toEqual({ secret: 42 })
    expect((await member.fetch(`${base}/page`)).json()).toEqual({ secret: 42 })
  })

  it('redirects with 303 and the requested path and query in next', async () => {
    const reply = await request(`${base}/page?tab=2&q=a%20b`)
    expect(reply.status).toBe(303)
    const location = reply.headers.get('location') as string
    expect(location).toBe('/login?next=%2Fpage%3Ftab%3D2%26q%3Da%2520b')
    expect(new URL(location, base).searchParams.get('next')).toBe('/page?tab=2&q=a%20b')
  })

  it('keeps the redirect target’s own query', async () => {
    const reply = await request(`${base}/page`, { method: 'POST' })
    expect(reply.status).toBe(303)
    expect(reply.headers.get('location')).toBe('/login?lang=en&next=%2Fpage')
  })

  it('honours redirectStatus and nextParam', async () => {
    const reply = await request(`${base}/found?x=1`)
    expect(reply.status).toBe(302)
    expect(reply.headers.get('location')).toBe('/signin?to=%2Ffound%3Fx%3D1')
  })

  it('never puts another host in next, whatever the request target', async () => {
    for (const target of [
      '//evil.example/page',
      '/.//evil.example/page',
      '/page/..//evil.example',
    ]) {
      const reply = await request(`${base}${target}`)
      const next =
        new URL(reply.headers.get('location') ?? '/', base).searchParams.get('next') ?? ''
      expect(reply.status, target).toBe(303)
      expect(next.startsWith('/')).toBe(true)
      expect(next.startsWith('//')).toBe(false)
    }
  })

  it('calls the custom handler instead', async () => {
    const reply = await request(`${base}/hidden`)
    expect(reply.status).toBe(404)
    expect(reply.json()).toEqual({ error: 'Not Found' })
  })

  it('falls back to the default answer when the custom handler sends nothing', async () => {
    expect((await request(`${base}/silent-handler`)).status).toBe(401)
  })

  it('lets OPTIONS through by default and guards it when exemptMethods is empty', async () => {
    const preflight = await request(`${base}/api`, { method: 'OPTIONS' })
    expect(preflight.status).toBe(200)
    expect(preflight.json()).toEqual({ preflight: true })
    expect((await request(`${base}/strict`, { method: 'OPTIONS' })).status).toBe(401)
  })

  it('checks its options when the route is defined', () => {
    expect(() => loginRequired(auth, { redirectTo: 'https://evil.example/' })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
    expect(() => loginRequired(auth, { redirectTo: '//evil.example' })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
    expect(() => loginRequired(auth, { redirectStatus: 301 as unknown as 302 })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
    expect(() => loginRequired({} as unknown as AuthSessions)).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })

  it('answers 500 with a usage code when the plugin is missing', async () => {
    const bare = Fastify()
    bare.get('/x', { preHandler: loginRequired(auth) }, async () => 'never')
    const url = await listen(bare)
    const reply = await request(`${url}/x`)
    expect(reply.status).toBe(500)
    expect(reply.json()).toMatchObject({ code: 'LATCHKEY_USAGE' })
    await bare.close()
  })
})
