/**
 * DurableObjectStore against the real Durable Object in workerd, through
 * Miniflare: the conformance suite runs in Node with the store calling the
 * object through Miniflare's namespace proxy (the object and its storage are
 * workerd's), and a worker serves concurrent locked requests on one session.
 */
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SessionLockLostError } from '../../src/core/errors.js'
import { hashSessionId, newSessionId } from '../../src/crypto/ids.js'
import { DurableObjectStore } from '../../src/stores/durable-object/durable-object-store.js'
import type { SessionsNamespace } from '../../src/stores/durable-object/namespace.js'
import { storeConformance } from '../../src/testing/index.js'
import { bundleWorker } from './bundle.js'

let worker: Miniflare
let namespace: SessionsNamespace

beforeAll(async () => {
  worker = new Miniflare({
    modules: true,
    script: await bundleWorker(new URL('./durable-object-worker.ts', import.meta.url).pathname),
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { SESSIONS: { className: 'LatchkeySessionsObject', useSQLite: true } },
  })
  // Miniflare's proxy has the binding's shape, with its own types.
  namespace = (await worker.getDurableObjectNamespace('SESSIONS')) as unknown as SessionsNamespace
}, 60_000)

afterAll(async () => {
  await worker?.dispose()
})

describe('DurableObjectStore conformance (the object in workerd)', () => {
  const cases = storeConformance({
    create: () => new DurableObjectStore({ namespace }),
    capabilities: { touch: true, lock: true, userIndex: true },
  })
  for (const c of cases) it.skipIf(c.skip)(c.name, c.run, 60_000)
})

describe('DurableObjectStore lock', () => {
  it('refuses the commit of a holder whose lease ran out and was taken by another', async () => {
    const key = hashSessionId(newSessionId())
    const now = Date.now()
    const record = (n: number) => ({
      data: { n },
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + 60_000,
    })
    const first = new DurableObjectStore({ namespace })
    const second = new DurableObjectStore({ namespace })
    await first.set(key, record(0), 60)
    const stale = await first.lock(key, { leaseMs: 200, waitMs: 1000 })
    await first.close() // stops the renewal, as a frozen holder would
    await sleep(300)
    const fresh = await second.lock(key, { leaseMs: 5000, waitMs: 1000 })
    await assert.rejects(
      stale.commit({ type: 'set', record: record(1), ttlSeconds: 60 }),
      SessionLockLostError,
    )
    expect(await fresh.commit({ type: 'set', record: record(2), ttlSeconds: 60 })).toBe(true)
    expect((await second.get(key))?.data).toEqual({ n: 2 })
  })

  it('keeps a renewed lease past its length', async () => {
    const store = new DurableObjectStore({ namespace })
    const key = hashSessionId(newSessionId())
    const held = await store.lock(key, { leaseMs: 300, waitMs: 1000 })
    await sleep(700)
    await assert.rejects(
      new DurableObjectStore({ namespace }).lock(key, { leaseMs: 300, waitMs: 100 }),
      { code: 'LATCHKEY_LOCK_TIMEOUT' },
    )
    expect(await held.commit()).toBe(true)
    await store.close()
  })

  it('turns a failing object call into SessionStoreError', async () => {
    const broken: SessionsNamespace = {
      idFromName: (name) => namespace.idFromName(name),
      get: () => {
        throw new TypeError('no such binding')
      },
    }
    await assert.rejects(new DurableObjectStore({ namespace: broken }).get('k'), {
      code: 'LATCHKEY_STORE',
    })
  })
})

describe('a worker on DurableObjectStore', () => {
  it('200 concurrent locked increments of one session, each its own invocation, lose none', async () => {
    const first = await worker.dispatchFetch('http://worker.test/inc')
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string
    expect(await first.json()).toEqual({ n: 1 })
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        worker
          .dispatchFetch('http://worker.test/inc', { headers: { cookie } })
          .then((r) => r.json()),
      ),
    )
    const counts = (answers as Array<{ n: number }>).map((a) => a.n).sort((a, b) => a - b)
    expect(counts).toEqual(Array.from({ length: 200 }, (_, i) => i + 2))
    const last = await worker.dispatchFetch('http://worker.test/inc', { headers: { cookie } })
    expect(await last.json()).toEqual({ n: 202 })
  }, 120_000)
})

describe('login on Hono with DurableObjectStore', () => {
  /** One browser's cookie, as the worker set it. */
  async function visit(
    path: string,
    cookie = '',
  ): Promise<{ status: number; body: unknown; cookie: string }> {
    const response = await worker.dispatchFetch(`http://worker.test${path}`, {
      headers: { cookie },
    })
    const set = response.headers.get('set-cookie')
    return {
      status: response.status,
      body: await response.json(),
      cookie: set ? (set.split(';')[0] as string) : cookie,
    }
  }

  it('logs in, guards, logs out, and ends every session of a user through its index object', async () => {
    expect((await visit('/auth/me')).status).toBe(401)
    const laptop = await visit('/auth/login?user=grace')
    const phone = await visit('/auth/login?user=grace')
    expect(laptop.cookie).not.toBe(phone.cookie)
    expect((await visit('/auth/me', laptop.cookie)).body).toEqual({ user: 'grace' })
    expect((await visit('/auth/me', phone.cookie)).body).toEqual({ user: 'grace' })

    const other = await visit('/auth/login?user=alan')
    expect((await visit('/auth/logout-everywhere', laptop.cookie)).body).toEqual({ ended: 2 })
    expect((await visit('/auth/me', laptop.cookie)).status).toBe(401)
    expect((await visit('/auth/me', phone.cookie)).status).toBe(401)
    expect((await visit('/auth/me', other.cookie)).body).toEqual({ user: 'alan' })

    await visit('/auth/logout', other.cookie)
    expect((await visit('/auth/me', other.cookie)).status).toBe(401)
  })
})
