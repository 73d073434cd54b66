import { describe, expect, it } from 'vitest'
import { SessionStoreError } from '../../core/errors.js'
import { isBusy } from './runner.js'

describe('isBusy', () => {
  it('knows SQLITE_BUSY as each driver reports it, wrapped or not', () => {
    const betterSqlite3 = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
    const nodeSqlite = Object.assign(new Error('database is locked'), {
      code: 'ERR_SQLITE_ERROR',
      errcode: 5,
    })
    const snapshot = Object.assign(new Error('database is locked'), { errcode: 517 })
    for (const error of [betterSqlite3, nodeSqlite, snapshot]) {
      expect(isBusy(error)).toBe(true)
      expect(isBusy(new SessionStoreError('sqlite', error.message, { cause: error }))).toBe(true)
    }
  })

  it('knows other failures are not', () => {
    const corrupt = Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' })
    const locked = Object.assign(new Error('database table is locked'), { errcode: 6 })
    for (const error of [corrupt, locked, new Error('x'), null, undefined, 'SQLITE_BUSY']) {
      expect(isBusy(error)).toBe(false)
    }
  })
})
