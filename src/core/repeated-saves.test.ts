import { describe, expect, it } from 'vitest'
import { AuthSessions } from '../auth/auth-sessions.js'
import { MemoryStore } from '../stores/memory/index.js'
import { Sessions } from './sessions.js'

/** The session id a response's Set-Cookie values give the browser, if any. */
function sentId(cookies: string[], name: string): string | undefined {
  const line = cookies.find((c) => c.startsWith(`${name}=`))
  return line?.slice(name.length + 1, line.indexOf(';'))
}

describe('a session saved more than once in one request', () => {
  const store = new MemoryStore()
  const sessions = new Sessions({ store })
  const auth = new AuthSessions({ store })

  it('still sends the cookie of a session the first save created', async () => {
    const session = sessions.open({ cookie: undefined })
    await session.withLock((s) => s.set('n', 1))
    await session.withLock((s) => s.set('n', 2))
    const id = sentId(await session.commit(), 'SESSION')
    expect(id).toBe(session.id)
    const next = sessions.open({ cookie: `SESSION=${id}` })
    expect(await next.get('n')).toBe(2)
  })

  it('still sends the cookie of a login followed by a locked write or a flash', async () => {
    const session = auth.open({ cookie: undefined })
    await session.login({ id: 'ada' })
    await session.withLock((s) => s.set('theme', 'dark'))
    await session.flash('success', 'Welcome back.')
    const id = sentId(await session.commit(), 'SECURE_SESSION')
    expect(id).toBe(session.id)
    const next = auth.open({ cookie: `SECURE_SESSION=${id}` })
    expect(await next.currentUserId()).toBe('ada')
    expect(await next.flashes()).toEqual([{ type: 'success', message: 'Welcome back.' }])
  })

  it('sends the cookie of a regenerate followed by a write', async () => {
    const first = sessions.open({ cookie: undefined })
    await first.withLock((s) => s.set('n', 1))
    const before = sentId(await first.commit(), 'SESSION')
    const session = sessions.open({ cookie: `SESSION=${before}` })
    await session.regenerate()
    await session.withLock((s) => s.set('n', 3))
    const after = sentId(await session.commit(), 'SESSION')
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
    expect(await sessions.open({ cookie: `SESSION=${after}` }).get('n')).toBe(3)
  })
})
