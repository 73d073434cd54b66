import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  SessionConfigError,
  SessionLockLostError,
  SessionLockTimeoutError,
  SessionStoreError,
} from '../../src/core/errors.js'
import type { SessionRecord } from '../../src/core/store.js'
import { RedisCommands } from '../../src/stores/redis/client.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import type { RedisLease } from '../../src/stores/redis/lease.js'
import { describeRedis, startRedis } from '../support/redis-server.js'
import {
  connectClient,
  connectTo,
  FLAVOURS,
  type TestClient,
  TOPOLOGIES,
  useRedisServers,
} from './clients.js'

function record(data: Record<string, unknown>, extra: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now()
  return { data, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000, ...extra }
}

let serial = 0
/** A fresh key per test, shaped like a hashed id. */
function freshKey(): string {
  serial++
  return `k${serial}-${Math.random().toString(36).slice(2)}`.padEnd(43, 'x')
}

describeRedis('RedisStore', () => {
  const servers = useRedisServers()

  for (const flavour of FLAVOURS) {
    for (const topology of TOPOLOGIES) {
      describe(`${flavour}, ${topology}`, () => {
        let connection: TestClient
        let store: RedisStore
        let redis: RedisCommands
        beforeAll(async () => {
          connection = await connectTo(flavour, topology, servers)
          store = new RedisStore({ client: connection.client, prefix: 'test:' })
          redis = new RedisCommands(connection.client)
        })
        afterAll(async () => {
          await store?.close()
          await connection?.close()
        })

        const raw = (key: string, ...args: string[]) =>
          redis.command('raw', key, [args[0] ?? '', key, ...args.slice(1)])

        it('stores a record and its TTL in one write, every field intact', async () => {
          const key = freshKey()
          const written = record(
            { cart: [1, 2], empty: [], nested: { a: null } },
            {
              absoluteExpiresAt: Date.now() + 90_000,
              user: { id: 7, name: 'Ann' },
              userId: '7',
              persistent: false,
              ttl: 120,
              userAgent: 'test',
            },
          )
          await store.set(key, written, 60)
          expect(await store.get(key)).toEqual(written)
          const ttl = Number(await raw(`test:{${key}}`, 'TTL'))
          expect(ttl).toBeGreaterThan(55)
          expect(ttl).toBeLessThanOrEqual(60)
        })

        it('reads nothing for a missing or expired record; deletes idempotently', async () => {
          const key = freshKey()
          expect(await store.get(key)).toBeUndefined()
          await store.set(key, record({ a: 1 }, { expiresAt: Date.now() - 1 }), 60)
          expect(await store.get(key)).toBeUndefined()
          await store.set(key, record({ a: 1 }), 60)
          await store.delete(key)
          await store.delete(key)
          expect(await store.get(key)).toBeUndefined()
        })

        it('touch extends expiry and times without rewriting the data, and creates nothing', async () => {
          const key = freshKey()
          const written = record({ a: 1 })
          await store.set(key, written, 10)
          const json = await raw(`test:{${key}}`, 'HGET', 'r')
          const times = { lastSeenAt: written.lastSeenAt + 5, expiresAt: written.expiresAt + 5 }
          await store.touch(key, times, 100)
          expect(await store.get(key)).toEqual({ ...written, ...times })
          expect(await raw(`test:{${key}}`, 'HGET', 'r')).toBe(json)
          expect(Number(await raw(`test:{${key}}`, 'TTL'))).toBeGreaterThan(95)
          const missing = freshKey()
          await store.touch(missing, times, 100)
          expect(await store.get(missing)).toBeUndefined()
          expect(Number(await raw(`test:{${missing}}`, 'EXISTS'))).toBe(0)
        })

        it('locks and reads in one step; a second locker waits, then times out', async () => {
          const key = freshKey()
          const written = record({ n: 1 })
          await store.set(key, written, 60)
          const lease = await store.lock(key, { leaseMs: 5000, waitMs: 1000 })
          expect(lease.record).toEqual(written)
          expect(Number(await raw(`test:{${key}}:lock`, 'PTTL'))).toBeGreaterThan(4000)
          const started = Date.now()
          await expect(store.lock(key, { leaseMs: 5000, waitMs: 300 })).rejects.toBeInstanceOf(
            SessionLockTimeoutError,
          )
          expect(Date.now() - started).toBeGreaterThanOrEqual(290)
          expect(Date.now() - started).toBeLessThan(1000)
          expect(await lease.commit()).toBe(true)
          expect(Number(await raw(`test:{${key}}:lock`, 'EXISTS'))).toBe(0)
        })

        it('hands the lock to a waiter when released, with the new record', async () => {
          const key = freshKey()
          await store.set(key, record({ n: 1 }), 60)
          const first = await store.lock(key, { leaseMs: 5000, waitMs: 1000 })
          const waiting = store.lock(key, { leaseMs: 5000, waitMs: 2000 })
          await new Promise((resolve) => setTimeout(resolve, 50))
          const updated = record({ n: 2 })
          expect(await first.commit({ type: 'set', record: updated, ttlSeconds: 60 })).toBe(true)
          const second = await waiting
          expect(second.record).toEqual(updated)
          expect(await second.commit({ type: 'delete' })).toBe(true)
          expect(await store.get(key)).toBeUndefined()
        })

        it('renews the lease while held', async () => {
          const key = freshKey()
          await store.set(key, record({ n: 1 }), 60)
          const lease = await store.lock(key, { leaseMs: 300, waitMs: 100 })
          await new Promise((resolve) => setTimeout(resolve, 900))
          await expect(store.lock(key, { leaseMs: 300, waitMs: 50 })).rejects.toBeInstanceOf(
            SessionLockTimeoutError,
          )
          expect(
            await lease.commit({ type: 'set', record: record({ n: 2 }), ttlSeconds: 60 }),
          ).toBe(true)
          expect((await store.get(key))?.data).toEqual({ n: 2 })
        })

        it('fencing: a holder whose lease expired cannot overwrite the next holder', async () => {
          const key = freshKey()
          await store.set(key, record({ n: 1 }), 60)
          const stale = (await store.lock(key, { leaseMs: 200, waitMs: 100 })) as RedisLease
          stale.stopRenewal() // as if the holder's process stalled (GC pause, partition)
          const next = await store.lock(key, { leaseMs: 5000, waitMs: 1000 })
          await expect(
            stale.commit({ type: 'set', record: record({ n: 'stale' }), ttlSeconds: 60 }),
          ).rejects.toBeInstanceOf(SessionLockLostError)
          await expect(stale.commit({ type: 'delete' })).rejects.toThrow(/already released/)
          expect((await store.get(key))?.data).toEqual({ n: 1 })
          expect(await next.commit({ type: 'set', record: record({ n: 2 }), ttlSeconds: 60 })).toBe(
            true,
          )
          expect((await store.get(key))?.data).toEqual({ n: 2 })
        })

        it('a lost lease also refuses deletes, but a commit without change just ends', async () => {
          const key = freshKey()
          await store.set(key, record({ n: 1 }), 60)
          const first = (await store.lock(key, { leaseMs: 150, waitMs: 100 })) as RedisLease
          first.stopRenewal()
          await new Promise((resolve) => setTimeout(resolve, 250))
          await expect(first.commit({ type: 'delete' })).rejects.toBeInstanceOf(
            SessionLockLostError,
          )
          expect(await store.get(key)).toBeDefined()
          const second = (await store.lock(key, { leaseMs: 150, waitMs: 100 })) as RedisLease
          second.stopRenewal()
          await new Promise((resolve) => setTimeout(resolve, 250))
          expect(await second.commit()).toBe(true)
        })

        it('a set through a lease does not resurrect a session deleted meanwhile', async () => {
          const key = freshKey()
          await store.set(key, record({ n: 1 }, { userId: 'gone' }), 60)
          const lease = await store.lock(key, { leaseMs: 5000, waitMs: 100 })
          expect(await store.deleteByUser('gone')).toEqual([key])
          expect(
            await lease.commit({
              type: 'set',
              record: record({ n: 2 }, { userId: 'gone' }),
              ttlSeconds: 60,
            }),
          ).toBe(false)
          expect(await store.get(key)).toBeUndefined()
          const again = await store.lock(key, { leaseMs: 5000, waitMs: 100 })
          expect(again.record).toBeUndefined()
          await again.commit()
        })

        it('indexes sessions per user, expiring, and deletes them but one', async () => {
          const user = `user-${freshKey()}`
          const [a, b, c, other] = [freshKey(), freshKey(), freshKey(), freshKey()]
          await store.set(a, record({ s: 'a' }, { userId: user }), 60)
          await store.set(b, record({ s: 'b' }, { userId: user }), 60)
          await store.set(c, record({ s: 'c' }, { userId: user }), 60)
          await store.set(other, record({ s: 'o' }, { userId: 'someone-else' }), 60)
          const listed = await store.listByUser(user)
          expect(listed.map((s) => s.key).sort()).toEqual([a, b, c].sort())
          expect(listed.find((s) => s.key === a)?.record.data).toEqual({ s: 'a' })
          const index = `test:user:{${encodeURIComponent(user)}}`
          const indexTtl = Number(await raw(index, 'PTTL'))
          expect(indexTtl).toBeGreaterThan(55_000)
          expect(indexTtl).toBeLessThanOrEqual(60_000)

          // b now belongs to someone else, c is gone: neither is listed. Listing
          // changes nothing (c might be a login still being written); deleteByUser
          // removes their entries.
          await store.set(b, record({ s: 'b' }, { userId: 'someone-else' }), 60)
          await store.delete(c)
          expect((await store.listByUser(user)).map((s) => s.key)).toEqual([a])
          const entries = async () =>
            ((await raw(index, 'ZRANGE', '0', '-1')) as string[]).map(String).sort()
          expect(await entries()).toEqual([a, b, c].sort())

          const d = freshKey()
          await store.set(d, record({ s: 'd' }, { userId: user }), 60)
          expect(await store.deleteByUser(user, { exceptKey: d })).toEqual([a])
          expect(await store.get(a)).toBeUndefined()
          expect(await store.get(b)).toBeDefined()
          expect((await store.listByUser(user)).map((s) => s.key)).toEqual([d])
          expect(await entries()).toEqual([d])
          expect(await store.listByUser('nobody')).toEqual([])
          expect(await store.deleteByUser('nobody')).toEqual([])
        })

        it('deleteByUser bars the user from a key it found indexed but not written', async () => {
          // A login indexes its session, then writes it: the write may land after deleteByUser.
          const user = `user-${freshKey()}`
          const [inFlight, relabelled] = [freshKey(), freshKey()]
          await store.set(inFlight, record({ s: 1 }, { userId: user }), 60)
          await raw(`test:{${inFlight}}`, 'DEL')
          await store.set(relabelled, record({ s: 2 }, { userId: user }), 60)
          await store.set(relabelled, record({ s: 3 }), 60)
          expect(await store.deleteByUser(user)).toEqual([])

          await store.set(inFlight, record({ s: 'late' }, { userId: user }), 60)
          expect(await store.get(inFlight)).toBeUndefined()
          const barred = Number(await raw(`test:{${inFlight}}:revoked`, 'PTTL'))
          expect(barred).toBeGreaterThan(55_000)
          expect(barred).toBeLessThanOrEqual(60_000)
          const lease = await store.lock(relabelled, { leaseMs: 5000, waitMs: 100 })
          expect(
            await lease.commit({
              type: 'set',
              record: record({ s: 'late' }, { userId: user }),
              ttlSeconds: 60,
            }),
          ).toBe(false)
          expect((await store.get(relabelled))?.data).toEqual({ s: 3 })

          // Other users, and sessions without a user, are not barred.
          await store.set(inFlight, record({ s: 'other' }, { userId: 'someone-else' }), 60)
          expect((await store.get(inFlight))?.data).toEqual({ s: 'other' })
          expect(await store.listByUser(user)).toEqual([])
        })

        it('touch keeps the session in its user index past its first expiry', async () => {
          const user = `user-${freshKey()}`
          const key = freshKey()
          const written = record({ s: 1 }, { userId: user, expiresAt: Date.now() + 1000 })
          await store.set(key, written, 1)
          await store.touch(key, { lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000 }, 60)
          await new Promise((resolve) => setTimeout(resolve, 1100))
          expect((await store.listByUser(user)).map((s) => s.key)).toEqual([key])
        })

        if (topology === 'cluster')
          it('keeps a session and its lock in one cluster slot', async () => {
            const key = freshKey()
            const slot = (name: string) =>
              redis.command('keyslot', name, ['CLUSTER', 'KEYSLOT', name])
            const data = await slot(`test:{${key}}`)
            expect(typeof data).toBe('number')
            expect(await slot(`test:{${key}}:lock`)).toBe(data)
            expect(await slot(`test:{${freshKey()}}`)).not.toBe(data)
          })

        it('reloads its scripts when Redis lost them', async () => {
          const key = freshKey()
          await store.set(key, record({ n: 1 }), 60)
          const flush = (port: number) =>
            (topology === 'cluster'
              ? servers.cluster.nodes.find((n) => n.port === port)
              : servers.standalone.server
            )?.cli('SCRIPT', 'FLUSH')
          if (topology === 'cluster')
            await Promise.all(servers.cluster.nodes.map((n) => flush(n.port)))
          else await flush(servers.standalone.server.port)
          const lease = await store.lock(key, { leaseMs: 1000, waitMs: 100 })
          expect(lease.record?.data).toEqual({ n: 1 })
          expect(
            await lease.commit({ type: 'set', record: record({ n: 2 }), ttlSeconds: 60 }),
          ).toBe(true)
        })

        it('a record Redis holds but latchkey cannot read is a store error, not a held lock', async () => {
          const key = freshKey()
          const data = `test:{${key}}`
          await redis.command('raw', data, [
            'HSET',
            data,
            'r',
            '{not json',
            's',
            '1',
            'e',
            String(Date.now() + 60_000),
          ])
          await expect(store.get(key)).rejects.toBeInstanceOf(SessionStoreError)
          await expect(store.lock(key, { leaseMs: 5000, waitMs: 100 })).rejects.toBeInstanceOf(
            SessionStoreError,
          )
          await store.delete(key)
          const lease = await store.lock(key, { leaseMs: 5000, waitMs: 500 })
          expect(lease.record).toBeUndefined()
          await lease.commit()
        })

        it('close() leaves the client open', async () => {
          const own = new RedisStore({ client: connection.client, prefix: 'test:' })
          const key = freshKey()
          await own.set(key, record({ n: 1 }), 60)
          await own.close()
          expect((await store.get(key))?.data).toEqual({ n: 1 })
        })
      })
    }
  }

  it('rejects bad options with a config error', () => {
    expect(() => new RedisStore({ client: {} as never })).toThrow(SessionConfigError)
    expect(() => new RedisStore(undefined as never)).toThrow(SessionConfigError)
    const client = { call: async () => null }
    expect(() => new RedisStore({ client, prefix: 'a{b}' })).toThrow(SessionConfigError)
    expect(() => new RedisStore({ client, commandTimeout: 0 })).toThrow(SessionConfigError)
    expect(() => new RedisStore({ client, lockRetryDelay: -1 })).toThrow(SessionConfigError)
  })

  it('a client wrapper that throws instead of rejecting gives a store error, not a crash', async () => {
    const client = {
      call: () => {
        throw new Error('wrapper refused the command')
      },
    }
    const store = new RedisStore({ client, commandTimeout: 0.3 })
    await expect(store.get('k')).rejects.toBeInstanceOf(SessionStoreError)
    await expect(store.lock('k', { leaseMs: 1000, waitMs: 100 })).rejects.toThrow(
      /lock failed: wrapper refused the command/,
    )
    await store.close()
  })

  it('guards a node-redis client that has no error listener, and removes the guard on close', async () => {
    const own = await startRedis()
    const client = createClient({
      socket: { host: '127.0.0.1', port: own.server.port, reconnectStrategy: () => 100 },
    })
    await client.connect()
    const store = new RedisStore({ client, commandTimeout: 0.3 })
    expect(client.listenerCount('error')).toBe(1)
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve))
    await own.server.stop() // node-redis emits 'error': unguarded, that would end the process
    expect((await warned).message).toMatch(/latchkey: the Redis client reported/)
    await expect(store.get('k')).rejects.toBeInstanceOf(SessionStoreError)
    await store.close()
    expect(client.listenerCount('error')).toBe(0)
    client.on('error', () => {})
    client.destroy()
    await own.dispose()
  })

  it('waiting for a busy lock backs off instead of hammering Redis', async () => {
    const connection = await connectClient('ioredis', servers.standalone.server.port)
    const store = new RedisStore({ client: connection.client })
    const key = freshKey()
    try {
      const held = await store.lock(key, { leaseMs: 5000, waitMs: 100 })
      const monitor = await servers.standalone.server.monitor()
      await expect(store.lock(key, { leaseMs: 5000, waitMs: 1000 })).rejects.toBeInstanceOf(
        SessionLockTimeoutError,
      )
      const attempts = (await monitor.stop()).length
      // 2 ms doubling up to 25 ms (jittered down to half): about 45–85 tries in a second.
      expect(attempts).toBeGreaterThan(10)
      expect(attempts).toBeLessThan(100)
      await held.commit()
    } finally {
      await store.close()
      await connection.close()
    }
  })

  for (const flavour of FLAVOURS) {
    it(`${flavour}: a Redis that went away fails fast, and works again once back`, async () => {
      const connection = await connectClient(flavour, servers.standalone.server.port)
      const store = new RedisStore({ client: connection.client, commandTimeout: 0.5 })
      const key = freshKey()
      try {
        await servers.standalone.server.stop()
        const started = Date.now()
        const outcomes = await Promise.allSettled([
          store.get(key),
          store.lock(key, { leaseMs: 1000, waitMs: 5000 }),
        ])
        for (const outcome of outcomes) {
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(SessionStoreError)
        }
        expect(Date.now() - started).toBeLessThan(1500)
        await servers.standalone.restart()
        const deadline = Date.now() + 5000
        for (;;) {
          try {
            await store.set(key, record({ n: 1 }), 60)
            break
          } catch (error) {
            expect(error).toBeInstanceOf(SessionStoreError)
            if (Date.now() > deadline) throw error
            await new Promise((resolve) => setTimeout(resolve, 100))
          }
        }
        const lease = await store.lock(key, { leaseMs: 1000, waitMs: 1000 })
        expect(lease.record?.data).toEqual({ n: 1 })
        await lease.commit()
      } finally {
        await store.close()
        await connection.close()
      }
    })

    it(`${flavour}: a frozen Redis fails every operation within the deadline, then recovers`, async () => {
      const connection = await connectClient(flavour, servers.standalone.server.port)
      const store = new RedisStore({ client: connection.client, commandTimeout: 0.3 })
      const key = freshKey()
      try {
        await store.set(key, record({ n: 1 }), 60)
        servers.standalone.server.freeze()
        const started = Date.now()
        const outcomes = await Promise.allSettled([
          store.get(key),
          store.set(key, record({ n: 2 }), 60),
          store.lock(key, { leaseMs: 10_000, waitMs: 5000 }),
          store.touch(key, { lastSeenAt: 1, expiresAt: Date.now() + 1000 }, 60),
          store.listByUser('u'),
        ])
        const elapsed = Date.now() - started
        for (const outcome of outcomes) {
          expect(outcome.status).toBe('rejected')
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(SessionStoreError)
        }
        expect(elapsed).toBeLessThan(1000)
        servers.standalone.server.thaw()
        // The lock taken by the late script was released after it: the session is free.
        const lease = await store.lock(key, { leaseMs: 10_000, waitMs: 2000 })
        expect(lease.record?.data).toEqual({ n: 2 })
        expect(await lease.commit()).toBe(true)
      } finally {
        servers.standalone.server.thaw()
        await store.close()
        await connection.close()
      }
    })
  }
})
