import { describe, expect, it } from 'vitest'
import { SessionConfigError } from '../../core/errors.js'
import { schemaSql, tableNames } from './schema.js'

describe('tableNames', () => {
  it('backquotes valid identifiers, with or without a database, and derives index names', () => {
    expect(tableNames(undefined, 'Web_Sessions').qualified).toBe('`Web_Sessions`')
    const names = tableNames('app', 'Web_Sessions')
    expect(names.qualified).toBe('`app`.`Web_Sessions`')
    expect(names.userIndex).toBe('Web_Sessions_user_id_idx')
    expect(names.expiryIndex).toBe('Web_Sessions_expires_at_idx')
  })

  it.each([
    '',
    '1table',
    'a-b',
    'a b',
    'x`; DROP TABLE users; --',
    "x'",
    'db.tab',
    'é',
    'a'.repeat(49),
    null,
    42,
  ])('refuses %j', (name) => {
    expect(() => tableNames(name, 'sessions')).toThrow(SessionConfigError)
    expect(() => tableNames(undefined, name)).toThrow(SessionConfigError)
  })

  it("keeps derived index names within MySQL's 64-character identifier limit", () => {
    const names = tableNames(undefined, 'a'.repeat(48))
    expect(names.expiryIndex.length).toBeLessThanOrEqual(64)
    expect(names.userIndex.length).toBeLessThanOrEqual(64)
  })
})

describe('schemaSql', () => {
  it('is one statement naming only the configured table', () => {
    const sql = schemaSql(tableNames('app', 'web'))
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS `app`.`web`')
    expect(sql).not.toContain('latchkey_sessions')
    expect(sql).not.toContain(';')
  })
})
