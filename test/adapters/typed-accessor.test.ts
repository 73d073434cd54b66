/**
 * `sessions.of(req)` / `auth.of(req)` on every framework, over real HTTP: the
 * manager hands back the request's session typed by its own data, the same
 * session the adapter attached, and a manager the adapter does not know is a
 * coded usage error.
 */
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import Koa from 'koa'
import { afterEach, describe, expect, it } from 'vitest'
import { latchkey as expressLatchkey } from '../../src/adapters/express/index.js'
import { latchkey as fastifyLatchkey } from '../../src/adapters/fastify/index.js'
import { latchkey as honoLatchkey } from '../../src/adapters/hono/index.js'
import { latchkey as koaLatchkey } from '../../src/adapters/koa/index.js'
import { AuthSessions, isSessionError, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar, listen, type Served, served } from '../support/http.js'

type Cart = { cart: string[] }
type User = { id: string; name: string }

interface Managers {
  sessions: Sessions<Cart>
  auth: AuthSessions<Record<string, never>, User>
  stranger: Sessions<Cart>
}

/** What every app does with what the framework hands its handler. */
async function addApple({ sessions }: Managers, request: object): Promise<{ cart: string[] }> {
  await using s = await sessions.of(request).lock()
  const cart: string[] = [...(s.get('cart') ?? []), 'apple']
  s.set('cart', cart)
  return { cart }
}

async function logIn({ auth }: Managers, request: object): Promise<{ name: string | null }> {
  const session = auth.of(request)
  await session.login({ id: 'ada', name: 'Ada' })
  const user = await session.currentUser()
  return { name: user?.name ?? null }
}

function askStranger({ stranger }: Managers, request: object): { code: string } {
  try {
    stranger.of(request)
    return { code: 'none' }
  } catch (error) {
    return { code: isSessionError(error) ? error.code : 'not a session error' }
  }
}

const routes = { '/cart': addApple, '/login': logIn, '/stranger': askStranger }

const frameworks: Record<string, (managers: Managers) => Promise<Served>> = {
  async fastify(managers) {
    const app = Fastify()
    await app.register(fastifyLatchkey(managers.sessions, managers.auth))
    for (const [path, route] of Object.entries(routes)) app.get(path, (req) => route(managers, req))
    const url = await listen(app)
    return { url, close: () => app.close() }
  },
  async express(managers) {
    const app = express()
    app.use(expressLatchkey(managers.sessions, managers.auth))
    for (const [path, route] of Object.entries(routes))
      app.get(path, async (req, res) => {
        res.json(await route(managers, req))
      })
    return served(app.listen(0, '127.0.0.1'))
  },
  async hono(managers) {
    const app = new Hono()
    app.use(honoLatchkey(managers.sessions, managers.auth))
    for (const [path, route] of Object.entries(routes))
      app.get(path, async (c) => c.json(await route(managers, c)))
    return served(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server)
  },
  async koa(managers) {
    const app = new Koa()
    app.use(koaLatchkey(managers.sessions, managers.auth))
    app.use(async (ctx) => {
      const route = routes[ctx.path as keyof typeof routes]
      if (route) ctx.body = await route(managers, ctx)
    })
    return served(app.listen(0, '127.0.0.1'))
  },
}

let running: Served | undefined
afterEach(async () => {
  await running?.close()
  running = undefined
})

describe.each(Object.keys(frameworks))('sessions.of() on %s', (framework) => {
  it('hands back the attached session, typed by the manager, and refuses a stranger', async () => {
    const store = new MemoryStore()
    const managers: Managers = {
      sessions: new Sessions<Cart>({ store, cookie: { secure: false } }),
      auth: new AuthSessions<Record<string, never>, User>({ store, cookie: { secure: false } }),
      stranger: new Sessions<Cart>({ store, name: 'other', cookie: { name: 'OTHER' } }),
    }
    running = await (frameworks[framework] as (m: Managers) => Promise<Served>)(managers)
    const jar = new CookieJar()
    expect((await jar.fetch(`${running.url}/cart`)).json()).toEqual({ cart: ['apple'] })
    expect((await jar.fetch(`${running.url}/cart`)).json()).toEqual({ cart: ['apple', 'apple'] })
    expect((await jar.fetch(`${running.url}/login`)).json()).toEqual({ name: 'Ada' })
    expect((await jar.fetch(`${running.url}/stranger`)).json()).toEqual({ code: 'LATCHKEY_USAGE' })
  })
})
