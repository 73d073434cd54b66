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
})
