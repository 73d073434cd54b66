import { describe, expect, it } from 'vitest'
import { Sessions } from '../core/sessions.js'
import { CookieStore, generateKey } from '../stores/cookie/index.js'
import { MemoryStore } from '../stores/memory/index.js'
import { defineLazyProperty, RequestSessions } from './request-sessions.js'

const memory = () => new Sessions({ store: new MemoryStore(), cookie: { secure: false } })

describe('RequestSessions', () => {
  it('opens a session at its first use and hands back the same one after', () => {
    const manager = memory()
    const sessions = new RequestSessions({ cookie: undefined }, [manager])
    const first = sessions.get(manager)
    expect(sessions.get(manager)).toBe(first)
    expect(sessions.get(memory())).not.toBe(first)
  })

  it('finishes nothing for a request that used no session', () => {
    const sessions = new RequestSessions({ cookie: 'SESSION=abc' }, [memory()])
    expect(sessions.finish()).toEqual([])
  })

  it('finishes the sessions used, once: a later call finishes only those opened since', async () => {
    const a = memory()
    const b = new Sessions({
      store: new MemoryStore(),
      name: 'other',
      cookie: { name: 'OTHER', secure: false },
    })
    const sessions = new RequestSessions({ cookie: undefined }, [a, b])
    await sessions.get(a).withLock((s) => s.set('n', 1))
    const cookies = await sessions.finish()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatch(/^SESSION=/)
    expect(await sessions.finish()).toEqual([])
    await sessions.get(b).withLock((s) => s.set('n', 2))
    const later = await sessions.finish()
    expect(later).toHaveLength(1)
    expect(later[0]).toMatch(/^OTHER=/)
  })

  it('opens a cookie-store session unused when cookies arrived, so a stale seal is re-issued', async () => {
    const oldKey = generateKey()
    const newKey = generateKey()
    const before = new Sessions({
      store: new CookieStore({ keys: oldKey }),
      cookie: { secure: false },
    })
    const issuing = new RequestSessions({ cookie: undefined }, [before])
    await issuing.get(before).withLock((s) => s.set('cart', ['apple']))
    const [issued] = await issuing.finish()
    const cookie = String(issued).split(';')[0]

    const rotated = new Sessions({
      store: new CookieStore({ keys: [newKey, oldKey] }),
      cookie: { secure: false },
    })
    expect(rotated.mustOpen({ cookie })).toBe(true)
    expect(rotated.mustOpen({ cookie: undefined })).toBe(false)
    expect(memory().mustOpen({ cookie })).toBe(false)
    const reissued = await new RequestSessions({ cookie }, [rotated]).finish()
    expect(reissued).toHaveLength(1)
    expect(reissued[0]).toMatch(/^SESSION=/)
    expect(reissued[0]).not.toContain(String(cookie).slice('SESSION='.length))
  })
})

describe('defineLazyProperty', () => {
  it('computes the value when read, on that object only, and becomes plain when assigned', () => {
    let reads = 0
    const target: Record<string, unknown> = {}
    const other: Record<string, unknown> = Object.create(Object.getPrototypeOf(target))
    defineLazyProperty(target, 'session', () => ++reads)
    expect(reads).toBe(0)
    expect(target.session).toBe(1)
    expect(other.session).toBeUndefined()
    target.session = 'replaced'
    expect(target.session).toBe('replaced')
    expect(reads).toBe(1)
  })
})
