import { describe, expect, it } from 'vitest'
import { AuthSessions } from '../auth/auth-sessions.js'
import { MemoryStore } from '../stores/memory/index.js'
import type { RequestInfo } from './session.js'
import { Sessions } from './sessions.js'

/** A request whose headers count how often the session looks them up. */
function countingRequest(cookie: string | undefined): {
  request: RequestInfo
  reads: { cookie: number; userAgent: number }
} {
  const reads = { cookie: 0, userAgent: 0 }
  const request: RequestInfo = {
    get cookie() {
      reads.cookie++
      return cookie
    },
    get userAgent() {
      reads.userAgent++
      return 'Mozilla/5.0 (test)'
    },
  }
  return { request, reads }
}

describe('RequestInfo: the session reads the request only when it needs it', () => {
  const store = new MemoryStore()
  const sessions = new Sessions({ store, warnLock: false })

  it('reads no header for a request that never uses its session', async () => {
    const { request, reads } = countingRequest('SESSION=x')
    const session = sessions.open(request)
    expect(await session.commit()).toEqual([])
    expect(reads).toEqual({ cookie: 0, userAgent: 0 })
  })

  it('reads the cookie once, however often the session is used, and never the user agent', async () => {
    const first = sessions.open({ cookie: undefined })
    await first.withLock((s) => s.set('n', 1))
    const [setCookie] = await first.commit()
    const { request, reads } = countingRequest(setCookie?.split(';')[0])
    const session = sessions.open(request)
    expect(await session.get('n')).toBe(1)
    await session.withLock((s) => s.set('n', 2))
    expect(await session.get('n')).toBe(2)
    await session.commit()
    expect(reads).toEqual({ cookie: 1, userAgent: 0 })
  })

  it('reads the user agent at login, when the manager records it', async () => {
    const auth = new AuthSessions({ store, warnLock: false })
    const { request, reads } = countingRequest(undefined)
    const session = auth.open(request)
    expect(await session.currentUser()).toBeUndefined()
    expect(reads.userAgent).toBe(0)
    await session.login({ id: 'ada' })
    await session.commit()
    expect(reads.userAgent).toBe(1)
    const [listed] = await auth.listSessions('ada')
    expect(listed?.userAgent).toBe('Mozilla/5.0 (test)')
  })
})
