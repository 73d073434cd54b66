import { describe, expect, it } from 'vitest'
import type { SessionRecord } from '../../core/store.js'
import { toRecord } from '../shared/record-row.js'
import { recordValues } from '../shared/record-values.js'
import { statements, truthy } from './statements.js'

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

  it('caps expiry at ttlSeconds from now, rounds to whole ms, and keeps the id out of the row', () => {
    const values = recordValues({ ...record, lastSeenAt: now + 0.4 }, 10, now)
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

  it('reads back what it wrote, from numbers or BIGINT strings', () => {
    const [data, meta, userId, c, l, e, a] = recordValues(record, 60, now)
    const { id: _id, ...stored } = record
    const row = { data, meta, user_id: userId, created_at: c, last_seen_at: l, expires_at: e }
    expect(toRecord({ ...row, absolute_expires_at: a })).toEqual(stored)
    expect(toRecord({ ...row, created_at: String(c), absolute_expires_at: String(a) })).toEqual(
      stored,
    )
  })

  it('reads SQL booleans as mysql2 returns them', () => {
    expect([1, '1', 0, '0', null, undefined].map(truthy)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ])
  })
})

describe('statements', () => {
  it('interpolate only the table name; every value is a placeholder', () => {
    const sql = statements('`t`')
    for (const [name, text] of Object.entries(sql)) {
      const body = typeof text === 'function' ? text(3) : text
      expect(body, name).toContain('`t`')
      expect(body, name).not.toMatch(/\$\d/)
    }
    expect(sql.deleteByUser(3)).toContain('IN (?, ?, ?)')
  })

  it('use neither VALUES(col) (MySQL 8.0.20+ warns) nor a row alias (MariaDB has none) in upserts', () => {
    const sql = statements('`t`')
    for (const [name, text] of Object.entries(sql)) {
      const body = typeof text === 'function' ? text(3) : text
      expect(body, name).not.toMatch(/VALUES\s*\(\s*[a-z_]+\s*\)/i)
      expect(body, name).not.toMatch(/\)\s+AS\s+\w+\s+ON DUPLICATE/i)
    }
    expect(sql.set.split('?')).toHaveLength(1 + 8 + 7)
  })
})
