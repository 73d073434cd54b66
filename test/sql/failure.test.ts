import { afterAll, beforeAll, expect, it } from 'vitest'
import { SessionStoreError, Sessions } from '../../src/index.js'
import { startCounterApp } from '../support/counter-app.js'
import type { DatabaseServer } from '../support/database-server.js'
import { CookieJar } from '../support/http.js'
import { newKey, recordOf } from './fixtures.js'
import type { SqlPool, SqlStore, SqlTarget } from './target.js'
import { forEachSqlTarget } from './targets.js'

const DEADLINE_MS = 500
/** What a deadline may overrun by on a loaded 2-core machine. */
const SLACK_MS = 1000
/** A short lease, so that an outage can outlast it without a long test. */
const LEASE_MS = 2000

async function timed<T>(work: Promise<T>): Promise<{ ms: number; outcome: T | unknown }> {
  const started = performance.now()
  const outcome = await work.catch((error: unknown) => error)
  return { ms: performance.now() - started, outcome }
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const value = await probe().catch((error: unknown) => error as T)
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

forEachSqlTarget(<Pool extends SqlPool>(target: SqlTarget<Pool>) =>
  target.describe(`${target.storeName} when ${target.server} freezes`, () => {
    let server: DatabaseServer<object>
    let pool: Pool
    let store: SqlStore
    beforeAll(async () => {
      server = await target.start()
      pool = target.pool(server, 4)
      store = target.store(pool, { queryTimeout: DEADLINE_MS / 1000 })
      await store.migrate()
    })
    afterAll(async () => {
      await server?.thaw()
      await store?.close()
      await pool?.end()
      await server?.stop()
    })

    it('fails every operation with SessionStoreError within the deadline, more than the pool holds too, and recovers after SIGCONT', async () => {
      const key = newKey()
      await store.set(key, recordOf({ n: 1 }), 60)
      await server.freeze()
      try {
        // The lock statement goes first, so that it reaches the frozen server.
        const attempts = await Promise.all([
          timed(store.lock(key, { leaseMs: 10_000, waitMs: 5000 })),
          ...Array.from({ length: 12 }, () => timed(store.get(key))),
          timed(store.set(newKey(), recordOf({}), 60)),
          timed(store.listByUser('u')),
          timed(store.sweep()),
        ])
        for (const { ms, outcome } of attempts) {
          expect(outcome).toBeInstanceOf(SessionStoreError)
          expect((outcome as SessionStoreError).statusCode).toBe(503)
          expect(ms).toBeLessThan(DEADLINE_MS + SLACK_MS)
        }
      } finally {
        await server.thaw()
      }
      const read = await eventually(
        () => store.get(key),
        (record) => (record?.data as { n?: number } | undefined)?.n === 1,
      )
      expect(read?.data).toEqual({ n: 1 })
      // The connections whose statements timed out were closed, not piled up: the pool's limit holds.
      expect(await target.connectionsOpen(server, pool)).toBeLessThanOrEqual(4)
      // The lock attempt that failed while frozen was given back: no wait for its 10 s lease.
      const started = Date.now()
      const lease = await store.lock(key, { leaseMs: 10_000, waitMs: 3000 })
      expect(Date.now() - started).toBeLessThan(3000)
      await lease.commit()
    })

    it(`frees the session as soon as ${target.server} answers after an outage longer than the lease`, async () => {
      const key = newKey()
      await store.set(key, recordOf({ n: 1 }), 60)
      await server.freeze()
      let thawed = false
      try {
        // Sent to the frozen server: it runs only when the server is thawed, long after
        // the caller was told it failed and after the give-back stopped trying.
        const frozenLock = await timed(store.lock(key, { leaseMs: LEASE_MS, waitMs: 5000 }))
        expect(frozenLock.outcome).toBeInstanceOf(SessionStoreError)
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS + SLACK_MS))
        await server.thaw()
        thawed = true
      } finally {
        if (!thawed) await server.thaw()
      }
      const read = await eventually(
        () => store.get(key),
        (record) => (record?.data as { n?: number } | undefined)?.n === 1,
      )
      expect(read?.data).toEqual({ n: 1 })
      // The late statement found its deadline passed and took nothing: no wait for a fresh lease.
      const started = Date.now()
      const lease = await store.lock(key, { leaseMs: LEASE_MS, waitMs: LEASE_MS / 2 })
      expect(Date.now() - started).toBeLessThan(LEASE_MS / 2)
      await lease.commit()
    })

    it('lets no renewal sent during an outage longer than the lease outlive a holder that died', async () => {
      const key = newKey()
      await store.set(key, recordOf({ n: 1 }), 60)
      // The holder runs in a "process" of its own: its pool, which dies during the outage.
      const holderPool = target.pool(server, 2)
      const holder = target.store(holderPool, { queryTimeout: DEADLINE_MS / 1000 })
      const held = await holder.lock(key, { leaseMs: LEASE_MS, waitMs: 1000 })
      await server.freeze()
      let thawed = false
      try {
        // Renewals (every third of the lease) are sent to the frozen server meanwhile.
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS))
        void holderPool.end().catch(() => {})
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS))
        await server.thaw()
        thawed = true
      } finally {
        if (!thawed) await server.thaw()
      }
      await eventually(
        () => store.get(key),
        (record) => (record?.data as { n?: number } | undefined)?.n === 1,
      )
      const started = Date.now()
      const lease = await store.lock(key, { leaseMs: LEASE_MS, waitMs: LEASE_MS / 2 })
      expect(Date.now() - started).toBeLessThan(LEASE_MS / 2)
      await lease.commit()
      await held.commit().catch(() => {})
      await holder.close()
    })

    it('answers 503 with Retry-After within the deadline while frozen, and serves again after SIGCONT', async () => {
      const sessions = new Sessions<{ n: number }>({
        store,
        warnLock: false,
        lock: { timeout: 2, lease: 5 },
      })
      const { app, base } = await startCounterApp(sessions)
      const jar = new CookieJar()
      const first = await jar.fetch(`${base}/inc`)
      expect({ status: first.status, body: first.body }).toEqual({ status: 200, body: '{"n":1}' })

      await server.freeze()
      let replies: Array<{ ms: number; outcome: unknown }>
      try {
        replies = await Promise.all(
          Array.from({ length: 8 }, () => timed(jar.fetch(`${base}/inc`))),
        )
      } finally {
        await server.thaw()
      }
      for (const { ms, outcome } of replies) {
        const reply = outcome as Awaited<ReturnType<CookieJar['fetch']>>
        expect(reply.status).toBe(503)
        expect(reply.headers.get('retry-after')).toBe('1')
        // Requests of one session queue behind each other in-process: bounded by lock.timeout.
        expect(ms).toBeLessThan(2000 + SLACK_MS)
      }
      const back = await eventually(
        () => jar.fetch(`${base}/inc`),
        (reply) => reply.status === 200,
      )
      expect(back.status).toBe(200)
      const n = (back.json() as { n: number }).n
      expect(n).toBeGreaterThanOrEqual(2)
      expect((await jar.fetch(`${base}/inc`)).json()).toEqual({ n: n + 1 })
      await app.close()
    })
  }),
)
