import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { RequestSessions } from '../adapters/request-sessions.js'
import { hashSessionId } from '../crypto/ids.js'
import { MemoryStore } from '../stores/memory/index.js'
import { SessionConfigError, SessionUsageError } from './errors.js'
import { Sessions } from './sessions.js'

const prefixed = () => `eu1_${randomBytes(32).toString('base64url')}`

/** One request that sets `n` under the lock; the session id its cookie carries. */
async function save(manager: Sessions, cookie?: string): Promise<string> {
  const sessions = new RequestSessions({ cookie }, [manager])
  await sessions.get(manager).withLock((s) => s.set('n', (Number(s.get('n')) || 0) + 1))
  const [line] = await sessions.finish()
  return /^SESSION=([^;]*)/.exec(String(line))?.[1] ?? ''
}

describe('generateId', () => {
  it("issues the factory's ids, stored only as their SHA-256, and reads them back", async () => {
    const store = new MemoryStore()
    const manager = new Sessions({ store, generateId: prefixed, cookie: { secure: false } })
    const id = await save(manager)
    expect(id).toMatch(/^eu1_[A-Za-z0-9_-]{43}$/)
    expect(await store.get(id)).toBeUndefined()
    expect((await store.get(hashSessionId(id)))?.data).toEqual({ n: 1 })
    // The next request with that cookie finds the session: the id's shape is accepted.
    const again = new RequestSessions({ cookie: `SESSION=${id}` }, [manager])
    expect(await again.get(manager).get('n')).toBe(1)
  })

  it('refuses a factory whose sample is not 32 to 256 URL-safe characters, when the manager is made', () => {
    const store = new MemoryStore()
    const make = (generateId: unknown) =>
      new Sessions({ store, generateId: generateId as () => string })
    expect(() => make('abc')).toThrow(SessionConfigError)
    expect(() => make(() => 'x'.repeat(31))).toThrow(/32 to 256 URL-safe characters/)
    expect(() => make(() => 'x'.repeat(257))).toThrow(SessionConfigError)
    expect(() => make(() => `${'x'.repeat(40)}/+=`)).toThrow(SessionConfigError)
    expect(() => make(() => 42)).toThrow(/got number/)
    expect(() => make(() => 'x'.repeat(32))).not.toThrow()
  })

  it('fails a request with a usage error when a later id breaks the rule, and saves nothing', async () => {
    const store = new MemoryStore()
    let calls = 0
    const manager = new Sessions({
      store,
      cookie: { secure: false },
      generateId: () => (++calls === 1 ? prefixed() : 'short'),
    })
    await expect(save(manager)).rejects.toBeInstanceOf(SessionUsageError)
  })

  it('keeps the default strict: only 43 base64url characters name a session', async () => {
    const manager = new Sessions({ store: new MemoryStore(), cookie: { secure: false } })
    const id = await save(manager)
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const longer = new RequestSessions({ cookie: `SESSION=${id}x` }, [manager])
    expect(await longer.get(manager).get('n')).toBeUndefined()
  })
})
