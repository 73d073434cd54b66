import { describe, expect, it } from 'vitest'
import { migrationKeys, openMigratedId, sealMigratedId } from './migration-seal.js'

describe('the sealed record of a migration', () => {
  const id = 'M2B9rU255WZpOuGM0N6AB3BDdAJCu0c77pCUEUKAE20'

  it('opens under the legacy id it was sealed under only', () => {
    const sealed = sealMigratedId('express-session', 'legacy-1', id)
    expect(sealed).not.toContain(id)
    expect(openMigratedId('express-session', 'legacy-1', sealed)).toBe(id)
    expect(openMigratedId('express-session', 'legacy-2', sealed)).toBeUndefined()
    expect(openMigratedId('sanic-cookies', 'legacy-1', sealed)).toBeUndefined()
  })

  it('refuses a tampered or truncated seal', () => {
    const sealed = Buffer.from(sealMigratedId('s', 'l', id), 'base64url')
    const flipped = Buffer.from(sealed)
    flipped[20] = (flipped[20] ?? 0) ^ 1
    expect(openMigratedId('s', 'l', flipped.toString('base64url'))).toBeUndefined()
    expect(openMigratedId('s', 'l', sealed.subarray(0, 28).toString('base64url'))).toBeUndefined()
    expect(openMigratedId('s', 'l', '')).toBeUndefined()
  })

  it('seals with a fresh IV each time', () => {
    expect(sealMigratedId('s', 'l', id)).not.toBe(sealMigratedId('s', 'l', id))
  })

  it('keys the lock and the record apart, per source and legacy id, as base64url SHA-256', () => {
    const keys = migrationKeys('express-session', 'legacy-1')
    expect(keys.lock).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(keys.record).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(keys.lock).not.toBe(keys.record)
    expect(migrationKeys('express-session', 'legacy-2').record).not.toBe(keys.record)
    expect(migrationKeys('sanic-cookies', 'legacy-1').record).not.toBe(keys.record)
    expect(keys.record).not.toContain('legacy-1')
  })
})
