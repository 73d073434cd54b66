import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionStore } from '../../src/index.js'
import { CookieStore, generateKey } from '../../src/stores/cookie/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { PostgresStore } from '../../src/stores/postgres/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { connectClient, type TestClient } from '../redis/clients.js'
import { poolOn } from '../sql/postgres-target.js'
import { CookieJar, type Reply, request } from '../support/http.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'
import { type AuthApp, loginBody, post, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }

/** Whether `promise` is still pending after `ms` milliseconds. */
async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const pending = Symbol('pending')
  const outcome = await Promise.race([
    promise.then(() => 'settled'),
    new Promise((resolve) => setTimeout(resolve, ms, pending)),
  ])
  return outcome === pending
}

/** Codes of the Node warnings emitted while `run` runs. */
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const codes: string[] = []
  const listener = (warning: Error & { code?: string }) => {
    if (warning.code) codes.push(warning.code)
  }
  process.on('warning', listener)
  try {
    await run()
    // process.emitWarning delivers on the next tick.
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    process.off('warning', listener)
  }
  return codes
}

/**
 * The races of one store: a request that read (or queued for) the session as
 * it was before a concurrent login or logout, and finishes after it.
 */
function lostSessionSuite(
  title: string,
  makeStore: () => SessionStore | CookieStore,
  // The warning is emitted once per call site in the process: the first suite sees it.
  { seesWarning = false } = {},
): void {
  describe(title, () => {
    let t: AuthApp
    beforeAll(async () => {
      // touchAfter 0: every read is due for a touch, so read-only requests exercise it too.
      t = await startAuthApp({ touchAfter: 0 }, makeStore() as MemoryStore)
    })
    afterAll(async () => {
      t.gates.openAll()
      await t.app.close()
    })

    /** A browser with an anonymous session (a cart), as before a login form is sent. */
    async function anonymous(): Promise<CookieJar> {
      const jar = new CookieJar()
      await jar.fetch(`${t.base}/cart`, post({ item: 'anonymous-cart' }))
      expect(jar.header).toBeDefined()
      return jar
    }

    async function userOf(jar: CookieJar): Promise<unknown> {
      return (await jar.fetch(`${t.base}/me`)).json<{ user: unknown }>().user
    }

    /** Starts `path` with the jar's cookie and waits until it reached gate `gate`. */
    async function heldAt(
      jar: CookieJar,
      path: string,
      gate: string,
    ): Promise<{ slow: Promise<Reply> }> {
      const reached = t.gates.arm(gate)
      const slow = request(`${t.base}${path}?gate=${gate}`, {
        method: 'POST',
        cookie: jar.header as string,
      })
      await reached
      return { slow } // wrapped: an async function returning the promise itself would wait for it
    }

    it('an unlocked write that read the pre-login session does not undo a concurrent login', async () => {
      const jar = await anonymous()
      const { slow } = await heldAt(jar, '/slow-unlocked-write', 'write')
      const login = await jar.fetch(`${t.base}/login`, loginBody(ada))
      expect(login.setCookies).toHaveLength(1)
      let late: Reply | undefined
      const codes = await warningsDuring(async () => {
        t.gates.open('write')
        late = await slow
      })
      expect(late?.json()).toEqual({ sawUser: null })
      expect(late?.setCookies).toEqual([])
      jar.absorb(late as Reply)
      expect(await userOf(jar)).toEqual(ada)
      if (seesWarning) expect(codes).toContain('LATCHKEY_SESSION_LOST')
    })

    it('an unlocked clear that read the pre-login session sends no deletion over the login', async () => {
      const jar = await anonymous()
      const { slow } = await heldAt(jar, '/slow-unlocked-clear', 'clear')
      await jar.fetch(`${t.base}/login`, loginBody(ada))
      t.gates.open('clear')
      const late = await slow
      expect(late.setCookies).toEqual([])
      jar.absorb(late)
      expect(await userOf(jar)).toEqual(ada)
    })

    it('a logout by a request that read the pre-login session sends no deletion over the login', async () => {
      const jar = await anonymous()
      const { slow } = await heldAt(jar, '/slow-logout', 'logout-late')
      await jar.fetch(`${t.base}/login`, loginBody(ada))
      t.gates.open('logout-late')
      const late = await slow
      expect(late.setCookies).toEqual([])
      jar.absorb(late)
      expect(await userOf(jar)).toEqual(ada)
    })

    it('a read-only request due for a touch does not undo a concurrent login', async () => {
      const jar = await anonymous()
      const reached = t.gates.arm('read')
      const slow = request(`${t.base}/slow-read?gate=read`, { cookie: jar.header as string })
      await reached
      await jar.fetch(`${t.base}/login`, loginBody(ada))
      t.gates.open('read')
      const late = await slow
      expect(late.setCookies).toEqual([])
      jar.absorb(late)
      expect(await userOf(jar)).toEqual(ada)
    })

    it('a locked write by a request that read the pre-login session does not undo the login', async () => {
      const jar = await anonymous()
      const { slow } = await heldAt(jar, '/read-then-locked-write', 'locked')
      await jar.fetch(`${t.base}/login`, loginBody(ada))
      t.gates.open('locked')
      const late = await slow
      expect(late.json()).toEqual({ sawUser: null })
      expect(late.setCookies).toEqual([])
      jar.absorb(late)
      expect(await userOf(jar)).toEqual(ada)
    })

    it('a locked write queued behind a login that holds the lock does not undo it', async () => {
      const jar = await anonymous()
      const reached = t.gates.arm('login')
      const login = jar.fetch(`${t.base}/login-locked?gate=login`, loginBody(ada))
      await reached // the login holds the pre-login session's lock
      const queued = request(`${t.base}/slow-locked-write`, {
        method: 'POST',
        cookie: jar.header as string,
      })
      expect(await stillPending(queued, 100)).toBe(true)
      t.gates.open('login')
      expect((await login).setCookies).toHaveLength(1)
      const late = await queued
      expect(late.status).toBe(200)
      expect(late.setCookies).toEqual([])
      jar.absorb(late)
      expect(await userOf(jar)).toEqual(ada)
    })

    it('an unlocked write that read the logged-in session does not revive it after a logout', async () => {
      const jar = new CookieJar()
      await jar.fetch(`${t.base}/login`, loginBody(ada))
      const loggedIn = jar.header as string
      const { slow } = await heldAt(jar, '/slow-unlocked-write', 'logout')
      const logout = await jar.fetch(`${t.base}/logout`, post())
      expect(logout.setCookies[0]).toMatch(/^SECURE_SESSION=; Max-Age=0/)
      t.gates.open('logout')
      const late = await slow
      expect(late.json()).toEqual({ sawUser: 'ada' })
      expect(late.setCookies).toEqual([])
      jar.absorb(late)
      expect(jar.header).toBeUndefined()
      expect(await userOf(jar)).toBeNull()
      if (!(t.auth.store instanceof CookieStore)) {
        // A server store forgets the session for good; the cookie store cannot (docs/cookie-store.md).
        const replay = await request(`${t.base}/me`, { cookie: loggedIn })
        expect(replay.json<{ user: unknown }>().user).toBeNull()
      }
    })
  })
}

lostSessionSuite('a request that lost its session (MemoryStore)', () => new MemoryStore(), {
  seesWarning: true,
})

lostSessionSuite(
  'a request that lost its session (CookieStore)',
  () => new CookieStore({ keys: generateKey() }),
)

describeRedis('a request that lost its session (Redis)', () => {
  let redis: RedisServer
  let client: TestClient
  beforeAll(async () => {
    redis = await startRedis()
    client = await connectClient('node-redis', redis.server.port)
  })
  afterAll(async () => {
    await client?.close()
    await redis?.dispose()
  })
  lostSessionSuite('RedisStore', () => new RedisStore({ client: client.client }))
})

describeWithPostgres('a request that lost its session (PostgreSQL)', () => {
  let postgres: PostgresServer
  let pool: pg.Pool
  beforeAll(async () => {
    postgres = await startPostgres()
    pool = poolOn(postgres.connection, 4)
    await new PostgresStore({ client: pool, sweepInterval: 0 }).migrate()
  })
  afterAll(async () => {
    await pool?.end()
    await postgres?.stop()
  })
  lostSessionSuite('PostgresStore', () => new PostgresStore({ client: pool, sweepInterval: 0 }))
})
