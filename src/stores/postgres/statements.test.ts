import { describe, expect, it } from 'vitest'
import type { SessionRecord } from '../../core/store.js'
import { toRecord } from '../shared/record-row.js'
import { recordValues } from '../shared/record-values.js'

describe('record mapping', () => {
  const now = 1_700_000_000_000
  const record: SessionRecord = {
    data: { cart: [1, 2] },
    createdAt: now - 5000,
    lastSeenAt: now,
    expiresAt: now + 60_000,
    absoluteExpiresAt: now + 120_000,
    user: { id: 7 },
    userId: '7',
    persistent: true,
    ttl: 60,
    userAgent: 'ua',
    id: 'never-stored',
  }

  it('caps expiry at ttlSeconds from now and keeps the id out of the row', () => {
    const values = recordValues(record, 10, now)
    expect(values).toEqual([
      '{"cart":[1,2]}',
      '{"user":{"id":7},"persistent":true,"ttl":60,"userAgent":"ua"}',
      '7',
      now - 5000,
      now,
      now + 10_000,
      now + 120_000,
    ])
    expect(JSON.stringify(values)).not.toContain('never-stored')
  })

  it('reads back what it wrote, from text and float columns', () => {
    const [data, meta, userId, createdAt, lastSeenAt, expiresAt, absolute] = recordValues(
      record,
      60,
      now,
    )
    const { id: _id, ...stored } = record
    expect(
      toRecord({
        data,
        meta,
        user_id: userId,
        created_at: createdAt,
        last_seen_at: lastSeenAt,
        expires_at: Number(expiresAt) + 0.0004,
        absolute_expires_at: absolute,
      }),
    ).toEqual(stored)
  })

  it('omits absent optional fields', () => {
    const plain = { data: {}, createdAt: now, lastSeenAt: now, expiresAt: now + 1000 }
    const [data, meta, userId, c, l, e, a] = recordValues(plain, 60, now)
    expect(
      toRecord({
        data,
        meta,
        user_id: userId,
        created_at: c,
        last_seen_at: l,
        expires_at: e,
        absolute_expires_at: a,
      }),
    ).toEqual(plain)
  })
})
