import diagnostics_channel from 'node:diagnostics_channel'
import { setTimeout as sleep } from 'node:timers/promises'
import session from 'express-session'
import { describe, expect, it } from 'vitest'
import { signCookieValue } from '../crypto/cookie-signature.js'
import { CookieStore, generateKey } from '../stores/cookie/index.js'
import { expressSessionSource, fromExpressStore } from '../stores/express/index.js'
import { MemoryStore } from '../stores/memory/index.js'
import { SessionConfigError } from './errors.js'
import { Sessions } from './sessions.js'

const SECRET = 'keyboard cat'

/** An express-session MemoryStore holding one session, and the cookie express-session would send for it. */
async function legacySession(data: Record<string, unknown>, sid = 'legacy-sid-0123456789abcdef') {
  const store = new session.MemoryStore()
  const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000), path: '/' }
  await new Promise<void>((resolve, reject) =>
    store.set(sid, { cookie, ...data } as never, (error) => (error ? reject(error) : resolve())),
  )
  const value = encodeURIComponent(`s:${signCookieValue(sid, SECRET)}`)
  return { store, sid, header: `connect.sid=${value}` }
}

function exists(store: session.MemoryStore, sid: string): Promise<boolean> {
  return new Promise((resolve) => store.get(sid, (_error, found) => resolve(found != null)))
}

function manager(store: session.MemoryStore, migrationWindow?: number) {
  return new Sessions({
    store: new MemoryStore(),
    warnLock: false,
    migrateFrom: expressSessionSource({ store, secret: SECRET }),
    ...(migrationWindow === undefined ? {} : { migrationWindow }),
  })
}

const DELETION = 'connect.sid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT'

describe('migrateFrom', () => {
  it('moves a legacy session into a new latchkey session and deletes the legacy one', async () => {
    const legacy = await legacySession({ cart: ['apple'], passport: { user: 'ada' } })
    const sessions = manager(legacy.store)
    const request = sessions.open({ cookie: legacy.header })
    expect(await request.all()).toEqual({ cart: ['apple'], passport: { user: 'ada' } })
    expect(request.isNew).toBe(false)
    const cookies = await request.commit()
    expect(cookies).toHaveLength(2)
    expect(cookies[0]).toMatch(new RegExp(`^SESSION=${request.id}; Max-Age=`))
    expect(cookies[1]).toBe(DELETION)
    expect(await exists(legacy.store, legacy.sid)).toBe(false)

    const next = sessions.open({ cookie: `SESSION=${request.id}` })
    expect(await next.get('cart')).toEqual(['apple'])
    expect(await next.commit()).toEqual([])
  })

  it('migrates when the first use is a lock, and saves what the lock changes', async () => {
    const legacy = await legacySession({ n: 1 })
    const sessions = manager(legacy.store)
    const request = sessions.open({ cookie: legacy.header })
    await request.withLock((s) => s.set('n', (s.get('n') as number) + 1))
    await request.commit()
    const next = sessions.open({ cookie: `SESSION=${request.id}` })
    expect(await next.get('n')).toBe(2)
  })

  it('ends 20 concurrent first requests with the same legacy cookie on one session', async () => {
    const legacy = await legacySession({ n: 1 })
    const sessions = manager(legacy.store)
    const created: unknown[] = []
    const count = (message: unknown) => created.push(message)
    diagnostics_channel.subscribe('latchkey:session:created', count)
    const requests = Array.from({ length: 20 }, () => sessions.open({ cookie: legacy.header }))
    const data = await Promise.all(requests.map((r) => r.all()))
    const cookies = await Promise.all(requests.map((r) => r.commit()))
    diagnostics_channel.unsubscribe('latchkey:session:created', count)
    expect(created).toHaveLength(1)
    expect(new Set(requests.map((r) => r.id)).size).toBe(1)
    expect(requests[0]?.id).toBeDefined()
    expect(data).toEqual(Array.from({ length: 20 }, () => ({ n: 1 })))
    expect(new Set(cookies.map((c) => c[0]?.split(';')[0])).size).toBe(1)
    for (const c of cookies) expect(c[1]).toBe(DELETION)
  })

  it('adopts the migrated session on a replay within migrationWindow, and nothing after it', async () => {
    const legacy = await legacySession({ n: 1 })
    const sessions = manager(legacy.store, 1)
    const first = sessions.open({ cookie: legacy.header })
    await first.all()
    await first.commit()
    const replay = sessions.open({ cookie: legacy.header })
    expect(await replay.get('n')).toBe(1)
    expect(replay.id).toBe(first.id)
    await replay.commit()
    await sleep(1100)
    const late = sessions.open({ cookie: legacy.header })
    expect(await late.all()).toEqual({})
    expect(late.id).toBeUndefined()
    expect(await late.commit()).toEqual([DELETION])
  })

  it('gives a replay within the window an empty session once the migrated session ended', async () => {
    const legacy = await legacySession({ n: 1 })
    const sessions = manager(legacy.store)
    const first = sessions.open({ cookie: legacy.header })
    await first.all()
    await first.destroy()
    await first.commit()
    const replay = sessions.open({ cookie: legacy.header })
    expect(await replay.all()).toEqual({})
    expect(await replay.commit()).toEqual([DELETION])
  })

  it('ignores a legacy cookie that does not verify, and keeps the legacy session', async () => {
    const legacy = await legacySession({ n: 1 })
    const sessions = manager(legacy.store)
    const [name, value = ''] = legacy.header.split('=')
    const tampered = `${name}=${value.slice(0, -2)}${value.endsWith('A') ? 'B' : 'A'}${value.slice(-1)}`
    for (const cookie of [
      tampered,
      'connect.sid=legacy-sid-0123456789abcdef',
      'connect.sid=s%3Ax',
    ]) {
      const request = sessions.open({ cookie })
      expect(await request.all()).toEqual({})
      expect(await request.commit()).toEqual([])
    }
    expect(await exists(legacy.store, legacy.sid)).toBe(true)
  })

  it('leaves alone a request that names a latchkey session', async () => {
    const legacy = await legacySession({ n: 1 })
    const sessions = manager(legacy.store)
    const created = sessions.open({ cookie: undefined })
    await created.set('m', 2)
    await created.commit()
    const request = sessions.open({ cookie: `SESSION=${created.id}; ${legacy.header}` })
    expect(await request.all()).toEqual({ m: 2 })
    await request.commit()
    expect(await exists(legacy.store, legacy.sid)).toBe(true)
  })

  it('deletes an empty legacy session without making a latchkey one', async () => {
    const legacy = await legacySession({})
    const sessions = manager(legacy.store)
    const request = sessions.open({ cookie: legacy.header })
    expect(await request.all()).toEqual({})
    expect(await request.commit()).toEqual([DELETION])
    expect(await exists(legacy.store, legacy.sid)).toBe(false)
  })

  it('migrates in place: the new session kept in the same express store through fromExpressStore', async () => {
    const legacy = await legacySession({ cart: ['pear'] })
    const sessions = new Sessions({
      store: fromExpressStore(legacy.store),
      warnLock: false,
      migrateFrom: expressSessionSource({ store: legacy.store, secret: SECRET }),
    })
    const request = sessions.open({ cookie: legacy.header })
    expect(await request.all()).toEqual({ cart: ['pear'] })
    await request.commit()
    expect(await exists(legacy.store, legacy.sid)).toBe(false)
    const next = sessions.open({ cookie: `SESSION=${request.id}` })
    expect(await next.get('cart')).toEqual(['pear'])
    // The express store holds the session and the migration record, both under hashed keys.
    const sids = await new Promise<string[]>((resolve) =>
      legacy.store.all((_error, all) => resolve(Object.keys(all ?? {}))),
    )
    expect(sids).toHaveLength(2)
    for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(sids).not.toContain(request.id)
  })

  it('refuses a cookie-held primary, which cannot record migrations, and a malformed source', () => {
    const store = new session.MemoryStore()
    const migrateFrom = expressSessionSource({ store, secret: SECRET })
    expect(
      () => new Sessions({ store: new CookieStore({ keys: [generateKey()] }), migrateFrom }),
    ).toThrow(SessionConfigError)
    expect(
      () => new Sessions({ store: new MemoryStore(), migrateFrom: { name: 'x' } as never }),
    ).toThrow(/legacy session source/)
    expect(
      () => new Sessions({ store: new MemoryStore(), migrateFrom, migrationWindow: 0 }),
    ).toThrow(/migrationWindow/)
    const named = (cookie: { name: string; path?: string }) => ({ ...migrateFrom, cookie })
    expect(
      () => new Sessions({ store: new MemoryStore(), migrateFrom: named({ name: 'a b' }) }),
    ).toThrow(/migrateFrom.cookie.name/)
    expect(
      () =>
        new Sessions({ store: new MemoryStore(), migrateFrom: named({ name: 'a', path: 'x' }) }),
    ).toThrow(/migrateFrom.cookie.path/)
    expect(() => expressSessionSource({ store, secret: [] })).toThrow(SessionConfigError)
    expect(() => expressSessionSource({ store: {} as never, secret: SECRET })).toThrow(
      SessionConfigError,
    )
  })
})
