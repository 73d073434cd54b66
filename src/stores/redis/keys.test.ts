import { describe, expect, it } from 'vitest'
import { KeyLayout } from './keys.js'

/** The part of a key Redis Cluster hashes: between the first `{` and the next `}`. */
function hashTag(key: string): string {
  const open = key.indexOf('{')
  const close = key.indexOf('}', open + 1)
  return open === -1 || close === -1 || close === open + 1 ? key : key.slice(open + 1, close)
}

describe('KeyLayout', () => {
  const keys = new KeyLayout('app:')
  const key = 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg'

  it('puts a session, its lock, its revocations and nothing else under the hashed id tag', () => {
    expect(keys.data(key)).toBe(`app:{${key}}`)
    expect(keys.lock(key)).toBe(`app:{${key}}:lock`)
    expect(keys.revoked(key)).toBe(`app:{${key}}:revoked`)
    expect(hashTag(keys.data(key))).toBe(key)
    expect(hashTag(keys.lock(key))).toBe(key)
    expect(hashTag(keys.revoked(key))).toBe(key)
  })

  it('gives each user index its own tag, whatever the user id holds', () => {
    expect(keys.user('42')).toBe('app:user:{42}')
    expect(hashTag(keys.user('a}b{c'))).toBe('a%7Db%7Bc')
    expect(keys.user('a}b')).not.toBe(keys.user('a'))
    expect(hashTag(keys.user(''))).toBe('app:user:{}')
  })

  it('scans session hashes and user indexes apart, with the prefix taken literally', () => {
    expect(keys.dataPattern()).toBe('app:{*}')
    expect(keys.userPattern()).toBe('app:user:{*}')
    expect(new KeyLayout('a*b?[c]\\:').dataPattern()).toBe('a\\*b\\?\\[c\\]\\\\:{*}')
  })
})
