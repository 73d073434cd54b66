import { describe, expect, it } from 'vitest'
import { DatabaseClock } from './database-clock.js'

describe('DatabaseClock', () => {
  const sentAt = 1_700_000_000_000

  it('starts from clocks in step: the deadline is the caller timeout away', () => {
    expect(new DatabaseClock(2000).deadline(sentAt)).toBe(sentAt + 2000)
  })

  it('learns a database clock behind ours from the quickest answer, never from a slow one', () => {
    const clock = new DatabaseClock(2000)
    clock.learn(sentAt, sentAt - 60_000 + 5, false)
    clock.learn(sentAt, sentAt - 60_000 + 900, false)
    expect(clock.deadline(sentAt)).toBe(sentAt - 60_000 + 5 + 2000)
  })

  it('raises the offset when a statement answered in time was refused (the database clock ahead)', () => {
    const clock = new DatabaseClock(2000)
    clock.learn(sentAt, sentAt + 60_000 + 3, true)
    expect(clock.deadline(sentAt)).toBe(sentAt + 60_000 + 3 + 2000)
    // A later, quicker answer narrows it again.
    clock.learn(sentAt, sentAt + 60_000 + 1, false)
    expect(clock.deadline(sentAt)).toBe(sentAt + 60_000 + 1 + 2000)
  })

  it('ignores an answer without a time', () => {
    const clock = new DatabaseClock(2000)
    clock.learn(sentAt, Number.NaN, true)
    expect(clock.deadline(sentAt)).toBe(sentAt + 2000)
  })
})
