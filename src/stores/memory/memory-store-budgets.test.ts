import { describe, expect, it } from 'vitest'
import { AuthSessions } from '../../auth/auth-sessions.js'
import { MemoryStore } from './memory-store.js'

async function logIn(auth: AuthSessions, id: string): Promise<string> {
  const session = auth.open({ cookie: undefined })
  await session.login({ id })
  const [setCookie] = await session.commit()
  return (setCookie ?? '').split(';')[0] ?? ''
}

async function anonymousWrite(auth: AuthSessions, n: number): Promise<void> {
  const session = auth.open({ cookie: undefined })
  await session.withLock((s) => s.set('n', n))
  await session.commit()
}

async function userOf(auth: AuthSessions, cookie: string): Promise<string | undefined> {
  const session = auth.open({ cookie })
  const userId = await session.currentUserId()
  await session.commit()
  return userId
}

describe('MemoryStore budgets', () => {
  it('a flood of cookie-less writes larger than maxEntries logs no signed-in user out', async () => {
    const store = new MemoryStore({ maxEntries: 50 })
    const auth = new AuthSessions({ store, warnLock: false })
    const ada = await logIn(auth, 'ada')
    for (let i = 0; i < 500; i++) await anonymousWrite(auth, i)
    expect(await userOf(auth, ada)).toBe('ada')
    expect(await auth.listSessions('ada')).toHaveLength(1)
    expect(store.size).toBe(51)
    await store.close()
  })

  it('past maxUserEntries the least recently used signed-in session is evicted, not an anonymous one', async () => {
    const store = new MemoryStore({ maxEntries: 10, maxUserEntries: 3 })
    const auth = new AuthSessions({ store, warnLock: false })
    for (let i = 0; i < 5; i++) await anonymousWrite(auth, i)
    const ada = await logIn(auth, 'ada')
    const bob = await logIn(auth, 'bob')
    const cy = await logIn(auth, 'cy')
    expect(await userOf(auth, ada)).toBe('ada')
    const dee = await logIn(auth, 'dee')
    expect(await userOf(auth, bob)).toBeUndefined()
    expect(await auth.listSessions('bob')).toEqual([])
    for (const [cookie, id] of [
      [ada, 'ada'],
      [cy, 'cy'],
      [dee, 'dee'],
    ] as const)
      expect(await userOf(auth, cookie)).toBe(id)
    expect(store.size).toBe(5 + 3)
    await store.close()
  })

  it('a session that gains or loses its user moves to the other budget', async () => {
    const store = new MemoryStore({ maxEntries: 1, maxUserEntries: 1 })
    const now = Date.now()
    const record = { data: {}, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000 }
    await store.set('k', record, 60)
    await store.set('k', { ...record, userId: 'ann' }, 60)
    await store.set('anonymous', record, 60)
    expect((await store.get('k'))?.userId).toBe('ann')
    await store.set('k', record, 60)
    expect(await store.get('anonymous')).toBeUndefined()
    expect(await store.listByUser('ann')).toEqual([])
    await store.set('signed-in', { ...record, userId: 'bob' }, 60)
    expect(await store.get('k')).toBeDefined()
    expect(store.size).toBe(2)
    await store.close()
  })

  it('rejects a bad maxEntries or maxUserEntries with a coded error', () => {
    for (const bound of [0, 2.5, -1, Number.NaN, 2 ** 32]) {
      expect(() => new MemoryStore({ maxEntries: bound })).toThrow(
        expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
      )
      expect(() => new MemoryStore({ maxUserEntries: bound })).toThrow(
        expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
      )
    }
  })
})
