import { describe, expect, it } from 'vitest'
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
