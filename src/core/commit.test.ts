import { describe, expect, it } from 'vitest'
import { type CommitState, decideCommit } from './commit.js'
import { resolveOptions, type SessionsOptions } from './options.js'

const NOW = 1_700_000_000_000
const HOUR = 3_600_000

// The decision does no I/O: the options only need a store to resolve.
function options(extra: Partial<SessionsOptions> = {}) {
  return resolveOptions(
    { store: {} as SessionsOptions['store'], ...extra },
    {
      name: 'session',
      cookieName: 'SESSION',
    },
  )
}

function state(extra: Partial<CommitState> = {}): CommitState {
  return {
    action: 'none',
    changed: true,
    lost: false,
    stored: true,
    named: true,
    clientSide: false,
    data: { n: 1 },
    fields: { createdAt: NOW - HOUR },
    options: options(),
    now: NOW,
    ...extra,
  }
}

describe('decideCommit', () => {
  it('releases a lost session without writing, warning only when something was asked of it', () => {
    expect(decideCommit(state({ lost: true }))).toEqual({ type: 'release', lose: true, warn: true })
    expect(decideCommit(state({ lost: true, changed: false }))).toEqual({
      type: 'release',
      lose: true,
      warn: false,
    })
    expect(decideCommit(state({ lost: true, changed: false, action: 'destroy' }))).toEqual({
      type: 'release',
      lose: true,
      warn: true,
    })
  })

  it('still saves a lost session that rotates (a login) under a new id', () => {
    const decision = decideCommit(state({ lost: true, action: 'rotate', stored: false }))
    expect(decision).toMatchObject({ type: 'rotate', stored: false })
  })

  it('deletes on destroy: the stored record, and the cookie when the request named one', () => {
    expect(decideCommit(state({ action: 'destroy' }))).toEqual({
      type: 'delete',
      stored: true,
      cookie: true,
    })
    expect(decideCommit(state({ action: 'destroy', stored: false, named: false }))).toEqual({
      type: 'delete',
      stored: false,
      cookie: false,
    })
  })

  it('deletes a session emptied of data and user, unless it rotates', () => {
    expect(decideCommit(state({ data: {} }))).toEqual({
      type: 'delete',
      stored: true,
      cookie: true,
    })
    expect(decideCommit(state({ data: {}, fields: { user: { id: 1 } } }))).toMatchObject({
      type: 'write',
    })
    expect(decideCommit(state({ data: {}, action: 'rotate' }))).toMatchObject({ type: 'rotate' })
  })

  it('only releases an unchanged session', () => {
    expect(decideCommit(state({ changed: false }))).toEqual({
      type: 'release',
      lose: false,
      warn: false,
    })
    expect(decideCommit(state({ changed: false, data: {} }))).toEqual({
      type: 'release',
      lose: false,
      warn: false,
    })
  })

  it('writes a stored session in place, keeping a cookie whose expiry is not due', () => {
    const sent = NOW + 30 * 24 * HOUR - 60_000
    const decision = decideCommit(
      state({ fields: { createdAt: NOW - HOUR, userId: 'ada', cookieExpiresAt: sent } }),
    )
    expect(decision).toMatchObject({ type: 'write', cookie: false, ttlSeconds: 30 * 24 * 3600 })
    if (decision.type !== 'write') throw new Error('unreachable')
    expect(decision.record).toEqual({
      data: { n: 1 },
      createdAt: NOW - HOUR,
      lastSeenAt: NOW,
      expiresAt: NOW + 30 * 24 * HOUR,
      userId: 'ada',
      cookieExpiresAt: sent,
    })
  })

  it('re-sends the cookie of a write when its expiry is due, and records the one sent', () => {
    const decision = decideCommit(state({ fields: { createdAt: NOW - HOUR } }))
    expect(decision).toMatchObject({ type: 'write', cookie: true })
    if (decision.type !== 'write') throw new Error('unreachable')
    expect(decision.record.cookieExpiresAt).toBe(decision.record.expiresAt)
  })

  it('re-sends a sealed cookie on every write, recording no cookie expiry', () => {
    const decision = decideCommit(
      state({ clientSide: true, fields: { createdAt: NOW - HOUR, cookieExpiresAt: NOW } }),
    )
    expect(decision).toMatchObject({ type: 'write', cookie: true })
    if (decision.type !== 'write') throw new Error('unreachable')
    expect(decision.record.cookieExpiresAt).toBeUndefined()
  })

  it('gives a new session, or a rotated one, a new id', () => {
    const fresh = decideCommit(state({ stored: false, named: false, fields: {} }))
    expect(fresh).toMatchObject({ type: 'rotate', stored: false })
    if (fresh.type !== 'rotate') throw new Error('unreachable')
    expect(fresh.record.createdAt).toBe(NOW)
    expect(fresh.record.cookieExpiresAt).toBe(fresh.record.expiresAt)
    expect(decideCommit(state({ action: 'rotate' }))).toMatchObject({
      type: 'rotate',
      stored: true,
    })
  })

  it('caps expiry at the absolute timeout', () => {
    const decision = decideCommit(state({ options: options({ absoluteTimeout: 7200 }) }))
    if (decision.type !== 'write') throw new Error('unreachable')
    expect(decision.record.absoluteExpiresAt).toBe(NOW + HOUR)
    expect(decision.record.expiresAt).toBe(NOW + HOUR)
    expect(decision.ttlSeconds).toBe(3600)
  })
})
