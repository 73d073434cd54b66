import { describe, expect, it } from 'vitest'
import { DeadlineExceeded, Deadlines } from './deadlines.js'

describe('Deadlines', () => {
  it('fails what is still pending once the timeout has passed, and aborts the signal', async () => {
    const deadlines = new Deadlines(200)
    const window = deadlines.window()
    const started = Date.now()
    const failed = new Promise<[unknown, number]>((resolve) => {
      const fail = (error: unknown) => resolve([error, Date.now() - started])
      window.pending.add(fail)
    })
    const answered = () => {
      throw new Error('a command that settled must not be failed')
    }
    window.pending.add(answered)
    window.pending.delete(answered)
    const [error, elapsed] = await failed
    expect(error).toBeInstanceOf(DeadlineExceeded)
    expect(elapsed).toBeGreaterThanOrEqual(199)
    expect(elapsed).toBeLessThan(200 + 20 + 100)
    expect(window.signal.aborted).toBe(true)
  })

  it('shares one window between commands sent close together, and opens a new one later', async () => {
    const deadlines = new Deadlines(200)
    const first = deadlines.window()
    expect(deadlines.window()).toBe(first)
    await new Promise((resolve) => setTimeout(resolve, 30))
    const later = deadlines.window()
    expect(later).not.toBe(first)
    expect(later.signal.aborted).toBe(false)
  })
})
