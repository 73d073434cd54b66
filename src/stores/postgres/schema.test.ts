import { describe, expect, it } from 'vitest'
import { SessionConfigError } from '../../core/errors.js'
import { schemaSql, tableNames } from './schema.js'

describe('tableNames', () => {
  it('quotes valid identifiers and derives index names', () => {
    const names = tableNames('app', 'Web_Sessions')
    expect(names.qualified).toBe('"app"."Web_Sessions"')
    expect(names.userIndex).toBe('Web_Sessions_user_id_idx')
    expect(names.expiryIndex).toBe('Web_Sessions_expires_at_idx')
  })

  it.each([
    '',
    '1table',
    'a-b',
    'a b',
    'x"; DROP TABLE users; --',
    "x'",
    'sch.tab',
    'é',
    'a'.repeat(49),
    undefined,
    42,
  ])('refuses %j', (name) => {
    expect(() => tableNames(name, 'sessions')).toThrow(SessionConfigError)
    expect(() => tableNames('public', name)).toThrow(SessionConfigError)
  })

  it('keeps derived index names within the 63-byte identifier limit', () => {
    const names = tableNames('s', 'a'.repeat(48))
    expect(names.expiryIndex.length).toBeLessThanOrEqual(63)
    expect(names.userIndex.length).toBeLessThanOrEqual(63)
  })
})

describe('schemaSql', () => {
  it('names only the configured table', () => {
    const sql = schemaSql(tableNames('app', 'web'))
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "app"."web"')
    expect(sql).not.toContain('latchkey_sessions')
    expect(sql).not.toContain('"public"')
  })
})
