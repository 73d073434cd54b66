import { describe, expect, it } from 'vitest'
import { DeadlineExceeded, withDeadline } from './deadline.js'

const never = () => new Promise<never>(() => {})

describe('withDeadline', () => {
  it('answers with the work when it settles in time', async () => {
    await expect(withDeadline(1000, async () => 'reply')).resolves.toBe('reply')
    const failure = new Error('refused')
    await expect(withDeadline(1000, () => Promise.reject(failure))).rejects.toBe(failure)
  })

  it('fails with DeadlineExceeded once the time is up, and aborts the signal', async () => {
    let signal: AbortSignal | undefined
    const started = Date.now()
    const outcome = withDeadline(150, (given) => {
      signal = given
      return never()
    })
    await expect(outcome).rejects.toBeInstanceOf(DeadlineExceeded)
    expect(Date.now() - started).toBeGreaterThanOrEqual(145)
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toBeInstanceOf(DeadlineExceeded)
  })

  it('hands a late success to onLate and nothing else', async () => {
    const late: string[] = []
    let answer: (value: string) => void = () => {}
    const outcome = withDeadline(
      50,
      () =>
        new Promise<string>((resolve) => {
          answer = resolve
        }),
      (value) => late.push(value),
    )
    await expect(outcome).rejects.toBeInstanceOf(DeadlineExceeded)
    answer('acquired')
    await new Promise((resolve) => setImmediate(resolve))
    expect(late).toEqual(['acquired'])
    // In time, onLate is not called.
    await withDeadline(
      1000,
      async () => 'in time',
      (value) => late.push(value),
    )
    expect(late).toEqual(['acquired'])
  })

  it('turns a synchronous throw of the work into a rejection', async () => {
    const failure = new Error('closed')
    await expect(
      withDeadline(1000, () => {
        throw failure
      }),
    ).rejects.toBe(failure)
  })
})
