import { describe, expect, it } from 'vitest'
import { RetiredIds } from './retired-ids.js'

describe('RetiredIds', () => {
  it('remembers a key for the window only', () => {
    const retired = new RetiredIds(1000)
    retired.add('a', 0)
    expect(retired.has('a', 999)).toBe(true)
    expect(retired.has('a', 1000)).toBe(false)
    expect(retired.has('b', 0)).toBe(false)
  })

  it('forgets the oldest key beyond its capacity', () => {
    const retired = new RetiredIds(1000, 2)
    retired.add('a', 0)
    retired.add('b', 1)
    retired.add('c', 2)
    expect([retired.has('a', 3), retired.has('b', 3), retired.has('c', 3)]).toEqual([
      false,
      true,
      true,
    ])
  })
})
