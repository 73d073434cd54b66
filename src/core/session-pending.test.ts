import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../stores/memory/index.js'
import type { Session } from './session.js'
import { Sessions } from './sessions.js'

const sessions = new Sessions({ store: new MemoryStore(), warnLock: false })

/** A stored session's id, made through the manager as a first request would. */
async function existing(): Promise<string> {
  const session = sessions.open({ cookie: undefined })
  await session.withLock((s) => s.set('n', 1))
  await session.commit()
  return session.id as string
}

/** Opens a session of `id` and counts the calls of its onPending. */
function opened(id: string): { session: Session; calls: () => number } {
  let calls = 0
  const session = sessions.open({
    cookie: `SESSION=${id}`,
    onPending: () => {
      calls++
    },
  })
  return { session, calls: () => calls }
}

describe('onPending: the adapter hears once that finishing has work', () => {
  it('is not called for reads, withLock, regenerate or destroy, which finish their own work', async () => {
    const { session, calls } = opened(await existing())
    await session.get('n')
    await session.all()
    await session.withLock((s) => s.set('n', 2))
    await session.regenerate()
    await session.destroy()
    expect(calls()).toBe(0)
    await session.commit()
  })

  it.each([
    ['lock()', async (s: Session) => void (await s.lock())],
    ['set outside a lock', (s: Session) => s.set('n', 5)],
    ['delete outside a lock', (s: Session) => s.delete('n')],
    ['clear outside a lock', (s: Session) => s.clear()],
    ['touch()', async (s: Session) => s.touch()],
  ])('is called once after %s', async (_name, use) => {
    const { session, calls } = opened(await existing())
    await use(session)
    expect(calls()).toBe(1)
    await session.set('n', 6)
    session.touch()
    expect(calls()).toBe(1)
    await session.commit()
  })
})
