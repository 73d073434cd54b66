import { describe, expect, it } from 'vitest'
import { SessionLockTimeoutError, SessionStoreError } from '../../core/errors.js'
import { pollLock } from './poll-lock.js'

const tries = { firstPauseMs: 2, maxPauseMs: 20 }

describe('pollLock', () => {
  it('returns the lease of the first try that takes the lock, trying again while it is held', async () => {
    let count = 0
    const lease = await pollLock({
      ...tries,
      waitMs: 1000,
      attempt: async () => (++count === 4 ? 'lease' : undefined),
      giveBack: () => expect.unreachable(),
    })
    expect(lease).toBe('lease')
    expect(count).toBe(4)
  })

  it('times out with SessionLockTimeoutError after waitMs, pausing at most maxPauseMs between tries', async () => {
    const at: number[] = []
    const started = Date.now()
    const outcome = await pollLock({
      ...tries,
      waitMs: 200,
      attempt: async () => {
        at.push(Date.now())
        return undefined
      },
      giveBack: () => expect.unreachable(),
    }).catch((error: unknown) => error)
    expect(outcome).toBeInstanceOf(SessionLockTimeoutError)
    expect(Date.now() - started).toBeGreaterThanOrEqual(200)
    // Timers may fire late on a loaded machine, never early: the pause is jittered below the cap.
    expect(at.length).toBeGreaterThan(200 / 20)
  })

  it('gives back what a failed try may have taken, once, and rethrows its error', async () => {
    const failure = new SessionStoreError('test', 'no answer')
    let givenBack = 0
    const outcome = await pollLock({
      ...tries,
      waitMs: 1000,
      attempt: async () => {
        throw failure
      },
      giveBack: () => {
        givenBack++
      },
    }).catch((error: unknown) => error)
    expect(outcome).toBe(failure)
    expect(givenBack).toBe(1)
  })
})
