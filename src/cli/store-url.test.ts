import { describe, expect, it } from 'vitest'
import { parseStoreUrl } from './store-url.js'

describe('parseStoreUrl', () => {
  it.each([
    ['redis://cache:6380/2', { kind: 'redis', address: 'cache:6380' }],
    ['rediss://user:secret@cache', { kind: 'redis', address: 'cache:6379' }],
    ['postgres://app@db/app', { kind: 'postgres', address: 'db:5432' }],
    ['postgresql://app@db:6432/app', { kind: 'postgres', address: 'db:6432' }],
    ['mysql://app:pw@db/app', { kind: 'mysql', address: 'db:3306' }],
    ['MariaDB://app@[::1]:3307/app', { kind: 'mysql', address: '[::1]:3307' }],
    ['sqlite:./sessions.db', { kind: 'sqlite', path: './sessions.db' }],
    ['sqlite:///var/app/sessions.db', { kind: 'sqlite', path: '/var/app/sessions.db' }],
    ['file:sessions.db', { kind: 'sqlite', path: 'sessions.db' }],
  ])('%s', (url, expected) => {
    expect(parseStoreUrl(url)).toMatchObject(expected)
  })

  it.each([
    [undefined, 'a store URL is required'],
    ['', 'a store URL is required'],
    ['localhost:6379', 'unknown store URL scheme localhost:'],
    ['mongodb://db/app', 'unknown store URL scheme mongodb:'],
    ['redis://', 'names no host'],
    ['redis://[::1', 'not a store URL'],
    ['postgres:///app', 'names no host'],
    ['sqlite://', 'names no file'],
  ])('%s is a usage error', (url, message) => {
    expect(() => parseStoreUrl(url)).toThrow(
      expect.objectContaining({
        code: 'LATCHKEY_USAGE',
        message: expect.stringContaining(message),
      }),
    )
  })
})
