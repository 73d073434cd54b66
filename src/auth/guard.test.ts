import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../stores/memory/index.js'
import { AuthSessions } from './auth-sessions.js'
import {
  checkLogin,
  requireAuthSession,
  resolveGuard,
  sitePath,
  unauthenticatedResponse,
} from './guard.js'

describe('sitePath', () => {
  it('keeps path and query of an ordinary target', () => {
    expect(sitePath('/account?tab=2')).toBe('/account?tab=2')
    expect(sitePath('/a b?x=<y>')).toBe('/a%20b?x=%3Cy%3E')
  })

  it('drops any origin and collapses leading slashes', () => {
    expect(sitePath('http://evil.example/steal?x=1')).toBe('/steal?x=1')
    expect(sitePath('//evil.example/steal')).toBe('/steal')
    expect(sitePath('/.//evil.example')).toBe('/evil.example')
    expect(sitePath('/\\evil.example')).toBe('/')
    expect(sitePath('///x/y')).toBe('/y')
  })

  it('falls back to / for what cannot be parsed', () => {
    expect(sitePath('http://[::1')).toBe('/')
  })
})

describe('unauthenticatedResponse', () => {
  it('encodes next as one query parameter', () => {
    const guard = resolveGuard({ redirectTo: '/login#form' })
    const response = unauthenticatedResponse({ method: 'GET', url: '/x?a=1&next=//evil' }, guard)
    expect(response.status).toBe(303)
    expect(response.headers.location).toBe('/login?next=%2Fx%3Fa%3D1%26next%3D%2F%2Fevil#form')
  })
})

describe('resolveGuard', () => {
  it('accepts only paths of this site as redirectTo', () => {
    for (const bad of [
      'login',
      'https://x.example/login',
      '//x.example',
      '/\\x.example',
      '/a b',
      '/a\nb',
    ]) {
      expect(() => resolveGuard({ redirectTo: bad }), bad).toThrow(
        expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
      )
    }
    expect(resolveGuard({ redirectTo: '/login?x=1' }).redirectTo).toBe('/login?x=1')
  })

  it('normalises exempt methods and rejects bad ones', () => {
    expect([...resolveGuard({ exemptMethods: ['options', 'head'] }).exemptMethods]).toEqual([
      'OPTIONS',
      'HEAD',
    ])
    expect(() => resolveGuard({ exemptMethods: 'OPTIONS' as unknown as string[] })).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_CONFIG' }),
    )
  })
})

describe('checkLogin', () => {
  const auth = new AuthSessions({ store: new MemoryStore(), warnLock: false })
  const guard = resolveGuard()

  it('denies a request without login and lets a logged-in one through', async () => {
    const anonymous = auth.open({ cookie: undefined })
    expect(await checkLogin(anonymous, { method: 'GET', url: '/x' }, guard)).toMatchObject({
      status: 401,
    })
    const member = auth.open({ cookie: undefined })
    await member.login({ id: 'u' })
    expect(await checkLogin(member, { method: 'GET', url: '/x' }, guard)).toBeUndefined()
  })

  it('lets exempt methods through whatever their case', async () => {
    const anonymous = auth.open({ cookie: undefined })
    expect(await checkLogin(anonymous, { method: 'options', url: '/x' }, guard)).toBeUndefined()
  })

  it('requireAuthSession refuses anything but an AuthSession', () => {
    expect(() => requireAuthSession(null, 'authSession')).toThrow(
      expect.objectContaining({ code: 'LATCHKEY_USAGE' }),
    )
    const session = auth.open({ cookie: undefined })
    expect(requireAuthSession(session, 'authSession')).toBe(session)
  })
})
