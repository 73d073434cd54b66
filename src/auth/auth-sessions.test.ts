import { describe, expect, it } from 'vitest'
import { MAX_SECONDS } from '../core/seconds.js'
import { MemoryStore } from '../stores/memory/index.js'
import { AuthSessions } from './auth-sessions.js'

describe('AuthSessions options', () => {
  const store = new MemoryStore()

  it('has its own request property and cookie by default', () => {
    const auth = new AuthSessions({ store })
    expect(auth.name).toBe('authSession')
    expect(auth.options.cookie.name).toBe('SECURE_SESSION')
  })

  it('rejects invalid auth options at construction', () => {
    expect(() => new AuthSessions({ store, userId: 'id' as unknown as () => string })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
    expect(() => new AuthSessions({ store, recordUserAgent: 1 as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })

  it('gives sessions without a user one day, or ttl when shorter, unless anonymousTtl says', () => {
    expect(new AuthSessions({ store }).options.anonymousTtlMs).toBe(86_400_000)
    expect(new AuthSessions({ store, ttl: 600 }).options.anonymousTtlMs).toBe(600_000)
    expect(new AuthSessions({ store, anonymousTtl: 300 }).options.anonymousTtlMs).toBe(300_000)
  })

  it.each([
    ['0', 0],
    ['longer than ttl', 601],
    ['not a number', '60'],
  ])('rejects an anonymousTtl %s with LATCHKEY_CONFIG', (_what, anonymousTtl) => {
    expect(
      () => new AuthSessions({ store, ttl: 600, anonymousTtl: anonymousTtl as number }),
    ).toThrow(
      expect.objectContaining({
        code: 'LATCHKEY_CONFIG',
        message: expect.stringContaining('anonymousTtl'),
      }),
    )
  })

  it.each([
    ['over MAX_SECONDS', MAX_SECONDS + 1],
    ['Number.MAX_SAFE_INTEGER', Number.MAX_SAFE_INTEGER],
    ['not whole', 1.5],
    ['0', 0],
  ])('rejects a login duration %s with LATCHKEY_USAGE at the call', async (_what, duration) => {
    const auth = new AuthSessions({ store, warnLock: false })
    await expect(auth.open({ cookie: undefined }).login('ada', { duration })).rejects.toMatchObject(
      {
        code: 'LATCHKEY_USAGE',
        message: expect.stringContaining('login() duration'),
      },
    )
  })

  it('rejects a user id with a lone surrogate, at login and in the per-user calls', async () => {
    const auth = new AuthSessions({ store, warnLock: false })
    await expect(auth.open({ cookie: undefined }).login('ada\ud800')).rejects.toMatchObject({
      code: 'LATCHKEY_USAGE',
    })
    const byEmail = new AuthSessions<Record<string, never>, { id: number }>({
      store,
      warnLock: false,
      userId: (user) => `user-\udc00${user.id}`,
    })
    await expect(byEmail.open({ cookie: undefined }).login({ id: 1 })).rejects.toMatchObject({
      code: 'LATCHKEY_USAGE',
    })
    await expect(auth.listSessions('\ud800')).rejects.toMatchObject({ code: 'LATCHKEY_USAGE' })
    await expect(auth.logoutEverywhere('\ud800')).rejects.toMatchObject({ code: 'LATCHKEY_USAGE' })
  })

  it('derives the indexed user id with the userId option', async () => {
    const auth = new AuthSessions<Record<string, never>, { email: string }>({
      store,
      warnLock: false,
      userId: (user) => user.email,
    })
    const session = auth.open({ cookie: undefined })
    await session.login({ email: 'ada@example.test' })
    await session.commit()
    expect(await auth.listSessions('ada@example.test')).toHaveLength(1)
  })

  it('uses a string or number user as its own id, and rejects a user without one', async () => {
    const auth = new AuthSessions({ store, warnLock: false })
    const byString = auth.open({ cookie: undefined })
    await byString.login('grace')
    expect(await byString.currentUserId()).toBe('grace')
    await expect(auth.open({ cookie: undefined }).login({ name: 'x' })).rejects.toMatchObject({
      code: 'LATCHKEY_USAGE',
    })
    await expect(auth.open({ cookie: undefined }).login(new Date())).rejects.toMatchObject({
      code: 'LATCHKEY_USAGE',
    })
    const bad = new AuthSessions({ store, warnLock: false, userId: () => '' })
    await expect(bad.open({ cookie: undefined }).login({ id: 1 })).rejects.toMatchObject({
      code: 'LATCHKEY_USAGE',
    })
  })

  it('does not record the user agent when recordUserAgent is false', async () => {
    const auth = new AuthSessions({ store, warnLock: false, recordUserAgent: false })
    const session = auth.open({ cookie: undefined, userAgent: 'Secret/1' })
    await session.login({ id: 'quiet' })
    await session.commit()
    const [listed] = await auth.listSessions('quiet')
    expect(listed).toBeDefined()
    expect(listed?.userAgent).toBeUndefined()
  })

  it('returns a copy of the user: mutating it changes nothing stored', async () => {
    const auth = new AuthSessions<Record<string, never>, { id: string; roles: string[] }>({
      store,
      warnLock: false,
    })
    const session = auth.open({ cookie: undefined })
    const user = { id: 'copy', roles: ['reader'] }
    await session.login(user)
    user.roles.push('admin')
    const current = await session.currentUser()
    current?.roles.push('root')
    expect(await session.currentUser()).toEqual({ id: 'copy', roles: ['reader'] })
  })
})
