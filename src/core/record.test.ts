import { describe, expect, it } from 'vitest'
import { cloneRecord, withId } from './record.js'
import type { SessionRecord } from './store.js'

// Required<>: a field added to SessionRecord fails to compile here until the test names it.
const full: Required<SessionRecord> = {
  data: { cart: [{ sku: 'a', qty: 2 }], nested: { deep: { list: [1, 'two', null, true] } } },
  createdAt: 1_700_000_000_000,
  lastSeenAt: 1_700_000_100_000,
  expiresAt: 1_700_002_692_000,
  absoluteExpiresAt: 1_700_086_400_000,
  user: { id: 'u1', roles: ['admin'], profile: { name: 'Ada' } },
  userId: 'u1',
  persistent: true,
  ttl: 3600,
  userAgent: 'Mozilla/5.0',
  cookieExpiresAt: 1_700_002_600_000,
  id: 'x'.repeat(43),
}

function objectsOf(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value === 'object' && value !== null) {
    found.add(value)
    for (const child of Object.values(value)) objectsOf(child, found)
  }
  return found
}

describe('cloneRecord', () => {
  it('equals a JSON round trip for a record with every field', () => {
    expect(cloneRecord(full)).toStrictEqual(JSON.parse(JSON.stringify(full)))
  })

  it('equals a JSON round trip for a minimal record (no absent field appears)', () => {
    const minimal: SessionRecord = { data: {}, createdAt: 1, lastSeenAt: 2, expiresAt: 3 }
    const copy = cloneRecord(minimal)
    expect(copy).toStrictEqual(JSON.parse(JSON.stringify(minimal)))
    expect(Object.keys(copy)).toEqual(['data', 'createdAt', 'lastSeenAt', 'expiresAt'])
  })

  it('shares no object with the original', () => {
    const original = objectsOf(full)
    for (const object of objectsOf(cloneRecord(full))) expect(original.has(object)).toBe(false)
  })
})

describe('withId', () => {
  const { id: _, ...withoutId } = full

  it('is the record with the id added, every field kept', () => {
    expect(withId(withoutId, 'y'.repeat(43))).toStrictEqual({ ...full, id: 'y'.repeat(43) })
  })

  it('adds no absent field to a minimal record', () => {
    const minimal: SessionRecord = { data: { n: 1 }, createdAt: 1, lastSeenAt: 2, expiresAt: 3 }
    expect(withId(minimal, 'z')).toStrictEqual({ ...minimal, id: 'z' })
  })

  it('leaves the record it was given unchanged', () => {
    const record: SessionRecord = { ...withoutId }
    withId(record, 'z')
    expect(record).toStrictEqual(withoutId)
  })
})
