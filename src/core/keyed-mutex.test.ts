import { describe, expect, it } from 'vitest'
import { SessionLockTimeoutError } from './errors.js'
import { KeyedMutex } from './keyed-mutex.js'

describe('KeyedMutex', () => {
  it('grants waiters in FIFO order', async () => {
    const mutex = new KeyedMutex()
    const order: number[] = []
    const first = await mutex.acquire('k', 1000)
    const waiters = [1, 2, 3].map((i) =>
      mutex.acquire('k', 1000).then((release) => {
        order.push(i)
        release()
      }),
    )
    first()
    await Promise.all(waiters)
    expect(order).toEqual([1, 2, 3])
  })

  it('counts the waiters of a key, less those granted and those timed out', async () => {
    const mutex = new KeyedMutex()
    const held = await mutex.acquire('k', 1000)
    expect(mutex.waiting('k')).toBe(0)
    const late = mutex.acquire('k', 20).catch((error: unknown) => error)
    const patient = mutex.acquire('k', 1000)
    expect(mutex.waiting('k')).toBe(2)
    expect(mutex.waiting('other')).toBe(0)
    await late
    expect(mutex.waiting('k')).toBe(1)
    held()
    ;(await patient)()
    expect(mutex.waiting('k')).toBe(0)
  })

  it('rejects a waiter past its bound and still serves the ones after it', async () => {
    const mutex = new KeyedMutex()
    const held = await mutex.acquire('k', 1000)
    const late = mutex.acquire('k', 20)
    const patient = mutex.acquire('k', 1000)
    await expect(late).rejects.toBeInstanceOf(SessionLockTimeoutError)
    held()
    const release = await patient
    release()
    expect(mutex.size).toBe(0)
  })

  it('a waiter timing out between two others leaves the order of the rest intact', async () => {
    const mutex = new KeyedMutex()
    const held = await mutex.acquire('k', 1000)
    const order: string[] = []
    const first = mutex.acquire('k', 1000).then((release) => {
      order.push('first')
      release()
    })
    const middle = mutex.acquire('k', 20)
    const last = mutex.acquire('k', 1000).then((release) => {
      order.push('last')
      release()
    })
    await expect(middle).rejects.toBeInstanceOf(SessionLockTimeoutError)
    held()
    await Promise.all([first, last])
    expect(order).toEqual(['first', 'last'])
    expect(mutex.size).toBe(0)
  })

  it('keeps no entry for idle keys, even after a million distinct ones', async () => {
    const mutex = new KeyedMutex()
    for (let i = 0; i < 1_000_000; i++) (await mutex.acquire(`k${i}`, 1000))()
    expect(mutex.size).toBe(0)
  })

  it('ignores a second release', async () => {
    const mutex = new KeyedMutex()
    const release = await mutex.acquire('k', 1000)
    const next = mutex.acquire('k', 1000)
    release()
    release()
    const second = await next
    expect(mutex.isLocked('k')).toBe(true)
    second()
    expect(mutex.isLocked('k')).toBe(false)
  })

  it('rejects waiters timing out together in time linear in their number, not quadratic', async () => {
    /** Milliseconds past the deadline until the last of `count` waiters timing out together is rejected. */
    async function lateness(count: number): Promise<number> {
      const mutex = new KeyedMutex()
      await mutex.acquire('k', 1000)
      const waitMs = 200
      let worst = 0
      const waiters = Array.from({ length: count }, () => {
        const asked = performance.now()
        return mutex.acquire('k', waitMs).then(
          () => expect.unreachable('the holder never releases'),
          (error: unknown) => {
            expect(error).toBeInstanceOf(SessionLockTimeoutError)
            worst = Math.max(worst, performance.now() - asked - waitMs)
          },
        )
      })
      await Promise.all(waiters)
      return worst
    }
    // Removing each timed-out waiter from an array made the last ones wait for all
    // before them: four times the waiters took sixteen times as long. A ratio of two
    // runs side by side holds on a loaded machine, where a bound in milliseconds does not.
    const small = await lateness(10_000)
    const large = await lateness(40_000)
    expect(large).toBeLessThan(8 * small + 50)
  })
})
