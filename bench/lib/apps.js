// The routes every contestant serves, built once for the contestants that
// differ only in their store: latchkey on Fastify, and express-session.
import { createServer } from 'node:http'
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import { createAdaptorServer } from '@hono/node-server'
import express from 'express'
import session from 'express-session'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { sessionMiddleware } from 'hono-sessions'
import { Sessions } from 'latchkey'
import { latchkey } from 'latchkey/fastify'
import { COOKIE, SECRET } from './fairness.js'

/** The shared cookie attributes for peers that take `maxAge` in milliseconds. */
const PEER_COOKIE = {
  path: COOKIE.path,
  httpOnly: COOKIE.httpOnly,
  secure: COOKIE.secure,
  sameSite: COOKIE.sameSite,
  maxAge: COOKIE.maxAge * 1000,
}

/**
 * A latchkey manager on `store` with the bench's cookie settings. warnLock is
 * off: the routes are correct as written and the warning is a development aid,
 * not part of the work measured.
 *
 * @param {import('latchkey').AnyStore} store
 */
export function latchkeySessions(store) {
  return new Sessions({
    store,
    warnLock: false,
    ttl: COOKIE.maxAge,
    cookie: {
      path: COOKIE.path,
      httpOnly: COOKIE.httpOnly,
      secure: COOKIE.secure,
      sameSite: COOKIE.sameSite,
    },
  })
}

/**
 * latchkey's Fastify plugin on `store`: /inc is a locked read-modify-write,
 * /read reads without the lock.
 *
 * @param {import('latchkey').AnyStore} store
 * @param {() => Promise<void>} [close] releases what the contestant opened (clients, pools)
 * @returns {Promise<import('node:http').Server>}
 */
export async function latchkeyFastify(store, close) {
  const sessions = latchkeySessions(store)
  const app = Fastify({ logger: false })
  await app.register(latchkey(sessions))
  if (close) app.addHook('onClose', close)

  app.get('/new', async (request) => {
    await request.session.withLock((s) => s.set('n', 0))
    return { n: 0 }
  })
  app.get('/inc', async (request) =>
    request.session.withLock((s) => {
      const n = (s.get('n') ?? 0) + 1
      s.set('n', n)
      return { n }
    }),
  )
  app.get('/read', async (request) => ({ n: (await request.session.get('n')) ?? null }))

  await app.ready()
  return app.server
}

/**
 * Express 5 + express-session on `store` (its MemoryStore when omitted), with
 * saveUninitialized, resave and rolling off: a read writes nothing. It takes no
 * lock: /inc is the plain read-modify-write its docs show.
 *
 * @param {import('express-session').Store | undefined} store
 * @param {() => Promise<void>} [close]
 * @returns {import('node:http').Server}
 */
export function expressSession(store, close) {
  const app = express()
  app.set('etag', false)
  app.use(
    session({
      ...(store ? { store } : {}),
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: PEER_COOKIE,
    }),
  )
  app.get('/new', (req, res) => {
    req.session.n = 0
    res.json({ n: 0 })
  })
  app.get('/inc', (req, res) => {
    const n = (req.session.n ?? 0) + 1
    req.session.n = n
    res.json({ n })
  })
  app.get('/read', (req, res) => {
    res.json({ n: req.session.n ?? null })
  })
  const server = createServer(app)
  if (close) server.once('close', () => close().catch(() => {}))
  return server
}

/**
 * Fastify + @fastify/session on `store` (its memory store when omitted), with
 * saveUninitialized and rolling off: a read neither re-saves the session nor
 * re-sends the cookie. It takes no lock: /inc is the plain read-modify-write
 * its docs show.
 *
 * @param {object | undefined} store an express-session-compatible store
 * @param {() => Promise<void>} [close]
 * @returns {Promise<import('node:http').Server>}
 */
export async function fastifySessionApp(store, close) {
  const app = Fastify({ logger: false })
  if (close) app.addHook('onClose', close)
  await app.register(fastifyCookie)
  await app.register(fastifySession, {
    ...(store ? { store } : {}),
    secret: SECRET,
    saveUninitialized: false,
    rolling: false,
    cookie: PEER_COOKIE,
  })
  sessionRoutes(app)
  await app.ready()
  return app.server
}

/**
 * The routes on a Fastify app whose plugin gives `request.session` a
 * synchronous `get`/`set` (@fastify/session, @fastify/secure-session): the
 * plain read-modify-write their docs show, no lock.
 *
 * @param {import('fastify').FastifyInstance} app
 */
export function sessionRoutes(app) {
  app.get('/new', async (request) => {
    request.session.set('n', 0)
    return { n: 0 }
  })
  app.get('/inc', async (request) => {
    const n = (request.session.get('n') ?? 0) + 1
    request.session.set('n', n)
    return { n }
  })
  app.get('/read', async (request) => ({ n: request.session.get('n') ?? null }))
}

/**
 * Hono 4 + hono-sessions on `store` (its MemoryStore or CookieStore), sealed
 * with the shared secret; autoExtendExpiration off, which spares it work. No lock.
 *
 * @param {object} store a hono-sessions store
 * @returns {import('node:http').Server}
 */
export function honoSessionsApp(store) {
  const app = new Hono()
  app.use(
    '*',
    sessionMiddleware({
      store,
      encryptionKey: SECRET,
      expireAfterSeconds: COOKIE.maxAge,
      autoExtendExpiration: false,
      cookieOptions: {
        path: COOKIE.path,
        httpOnly: COOKIE.httpOnly,
        secure: COOKIE.secure,
        sameSite: 'Lax',
        maxAge: COOKIE.maxAge,
      },
    }),
  )
  app.get('/new', (c) => {
    c.get('session').set('n', 0)
    return c.json({ n: 0 })
  })
  app.get('/inc', (c) => {
    const session = c.get('session')
    const n = (session.get('n') ?? 0) + 1
    session.set('n', n)
    return c.json({ n })
  })
  app.get('/read', (c) => c.json({ n: c.get('session').get('n') ?? null }))
  return createAdaptorServer({ fetch: app.fetch })
}
