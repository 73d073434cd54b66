import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import express5, { type NextFunction, type Request, type Response } from 'express'
import express4 from 'express4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latchkey } from '../../src/adapters/express/index.js'
import { Sessions } from '../../src/index.js'
import { CookieJar, request, type Served, served } from '../support/http.js'
import { OutageStore } from './outage-store.js'
import type { AppData } from './routes.js'

const NEW_COOKIE =
  /^SESSION=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; Expires=.+; HttpOnly; Secure; SameSite=Lax$/
const BIG = 8 * 1024 * 1024
const PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url))

describe.each([
  ['express 4', express4],
  ['express 5', express5],
])('%s', (_name, createApp) => {
  const store = new OutageStore()
  const sessions = new Sessions<AppData>({ store, warnLock: false })
  const app = createApp()
  let base = ''
  let server: Served

  beforeAll(async () => {
    app.use(latchkey(sessions))
    app.get('/respond-in-lock', (req, res, next) => {
      ;(async () => {
        await using s = await req.session.lock()
        const n = ((s.get('n') as number | undefined) ?? 0) + 1
        s.set('n', n)
        res.json({ n })
      })().catch(next)
    })
    app.get('/read', (req, res, next) => {
      req.session.get('n').then((n) => res.json({ n: n ?? null }), next)
    })
    app.get('/write-head', (req, res, next) => {
      req.session.set('via', 'write-head').then(() => {
        res.setHeader('x-before', '1')
        res.writeHead(201, 'Made', [
          ['content-type', 'text/plain'],
          ['set-cookie', 'a=1'],
        ])
        res.end('made')
      }, next)
    })
    app.get('/write-head-object', (req, res, next) => {
      req.session.set('via', 'write-head').then(() => {
        res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] })
        res.end('ok')
      }, next)
    })
    app.get('/flush-headers', (req, res, next) => {
      req.session.set('via', 'flush').then(() => {
        res.flushHeaders()
        res.end('flushed')
      }, next)
    })
    app.get('/write-callbacks', (req, res, next) => {
      req.session.set('via', 'callbacks').then(() => {
        const done: string[] = []
        res.write('a', () => done.push('a'))
        res.write('b', () => done.push('b'))
        res.end(() => {
          if (done.join() !== 'a,b') console.error('write callbacks out of order', done)
        })
      }, next)
    })
    app.get('/respond-then-throw', (req, res, next) => {
      ;(async () => {
        await req.session.set('via', 'respond-then-throw')
        res.status(201).json({ ok: true })
        throw new Error('thrown after the response was ended')
      })().catch(next)
    })
    app.get('/file', (req, res, next) => {
      req.session.set('via', 'file').then(() => res.sendFile(PACKAGE_JSON), next)
    })
    app.get('/big', (req, res, next) => {
      req.session.set('via', 'big').then(() => {
        res.type('application/octet-stream')
        let sent = 0
        Readable.from(
          (function* () {
            while (sent < BIG) {
              sent += 64 * 1024
              yield Buffer.alloc(64 * 1024, 120)
            }
          })(),
        ).pipe(res)
      }, next)
    })
    app.use((error: Error, _req: Request, res: Response, next: NextFunction) => {
      // The error handler Express's guide recommends: answer unless the response has started.
      if (res.headersSent) return next(error)
      res.status(500).json({ error: error.message })
    })
    server = await served(app.listen(0, '127.0.0.1'))
    base = server.url
  })

  afterAll(async () => {
    await server.close()
    await sessions.close()
  })

  it('responding inside the lock saves once and loses no increment', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${base}/respond-in-lock`)
    const commits = store.calls.commit
    const replies = await Promise.all(
      Array.from({ length: 300 }, () => jar.fetch(`${base}/respond-in-lock`)),
    )
    expect(replies.every((reply) => reply.status === 200)).toBe(true)
    expect(store.calls.commit - commits).toBe(300)
    expect((await jar.fetch(`${base}/read`)).json()).toEqual({ n: 301 })
  })

  it('writeHead with raw headers keeps the status, reason, headers and both cookies', async () => {
    const reply = await request(`${base}/write-head`)
    expect(reply.status).toBe(201)
    expect(reply.headers.get('x-before')).toBe('1')
    expect(reply.body).toBe('made')
    expect(reply.setCookies).toHaveLength(2)
    expect(reply.setCookies).toContain('a=1')
    expect(reply.setCookies.find((c) => c.startsWith('SESSION='))).toMatch(NEW_COOKIE)
  })

  it('writeHead with a header object keeps the app cookies', async () => {
    const reply = await request(`${base}/write-head-object`)
    expect(reply.setCookies.slice().sort()).toEqual(
      expect.arrayContaining(['a=1', 'b=2', expect.stringMatching(NEW_COOKIE)]),
    )
    expect(reply.setCookies).toHaveLength(3)
  })

  it('flushHeaders waits for the save too', async () => {
    const reply = await request(`${base}/flush-headers`)
    expect(reply.body).toBe('flushed')
    expect(reply.setCookies[0]).toMatch(NEW_COOKIE)
  })

  it('held writes keep their order and callbacks', async () => {
    const reply = await request(`${base}/write-callbacks`)
    expect(reply.body).toBe('ab')
    expect(reply.setCookies[0]).toMatch(NEW_COOKIE)
  })

  it('an error after the response was ended keeps that response, and the process', async () => {
    const reply = await request(`${base}/respond-then-throw`)
    expect(reply.status).toBe(201)
    expect(reply.json()).toEqual({ ok: true })
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
    expect(reply.setCookies[0]).toMatch(NEW_COOKIE)
    expect((await request(`${base}/read`)).status).toBe(200)
  })

  it('res.sendFile carries the cookie', async () => {
    const reply = await request(`${base}/file`)
    expect(reply.status).toBe(200)
    expect(reply.body).toBe(readFileSync(PACKAGE_JSON, 'utf8'))
    expect(reply.setCookies[0]).toMatch(NEW_COOKIE)
  })

  it('a large piped stream arrives whole, with the cookie', async () => {
    const reply = await request(`${base}/big`)
    expect(reply.status).toBe(200)
    expect(reply.body.length).toBe(BIG)
    expect(reply.setCookies[0]).toMatch(NEW_COOKIE)
  })

  it('a failed save in front of a piped stream answers 503 and the process carries on', async () => {
    store.down = true
    const failed = await request(`${base}/big`).finally(() => {
      store.down = false
    })
    expect(failed.status).toBe(503)
    expect(failed.json()).toEqual({ error: 'Service Unavailable', code: 'LATCHKEY_STORE' })
    const next = await request(`${base}/big`)
    expect(next.body.length).toBe(BIG)
  })
})

describe.each([
  ['express 4', express4],
  ['express 5', express5],
])('%s: a session error no handler answers', (_name, createApp) => {
  const store = new OutageStore()
  const sessions = new Sessions<AppData>({ store, warnLock: false })
  const servers: Served[] = []

  afterAll(async () => {
    for (const server of servers) await server.close()
    await sessions.close()
  })

  async function start(env: string): Promise<string> {
    const app = createApp()
    app.set('env', env)
    app.use(latchkey(sessions))
    app.get('/set', (req, res, next) => {
      req.session.set('n', 1).then(() => res.json({ ok: true }), next)
    })
    app.get('/read', (req, res, next) => {
      req.session.get('n').then((n) => res.json({ n: n ?? null }), next)
    })
    // An app's error handler that passes errors on, as logging middleware does.
    app.use((error: Error, _req: Request, _res: Response, next: NextFunction) => next(error))
    const server = await served(app.listen(0, '127.0.0.1'))
    servers.push(server)
    return server.url
  }

  it.each(['production', 'development'])(
    'gets latchkey’s JSON answer in %s, not an error page',
    async (env) => {
      const base = await start(env)
      const jar = new CookieJar()
      expect((await jar.fetch(`${base}/set`)).status).toBe(200)
      store.down = true
      const failed = await jar.fetch(`${base}/read`).finally(() => {
        store.down = false
      })
      expect(failed.status).toBe(503)
      expect(failed.headers.get('retry-after')).toBe('1')
      expect(failed.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(failed.json()).toEqual({ error: 'Service Unavailable', code: 'LATCHKEY_STORE' })
    },
  )
})
