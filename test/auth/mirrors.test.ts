import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSessionId } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { CookieJar } from '../support/http.js'
import { type AuthApp, loginBody, post, startAuthApp } from './app.js'

const ada = { id: 'ada', name: 'Ada Lovelace' }
const COOKIE = 'SECURE_SESSION'

describe('login and logout reach every store', () => {
  const mirror = new MemoryStore()
  let t: AuthApp
  beforeAll(async () => {
    t = await startAuthApp({ mirrors: [mirror], mirrorFailure: 'fail' })
  })
  afterAll(() => t.app.close())

  const keyOf = (jar: CookieJar) => hashSessionId(jar.get(COOKIE) as string)

  it('login writes the rotated session to the mirror and deletes the old one there', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/cart`, post({ item: 'x' }))
    const anonymous = keyOf(jar)
    expect(await mirror.get(anonymous)).toBeDefined()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    expect(await mirror.get(anonymous)).toBeUndefined()
    expect(await mirror.get(keyOf(jar))).toMatchObject({ user: ada, userId: 'ada' })
  })

  it('logout deletes the session from the mirror too', async () => {
    const jar = new CookieJar()
    await jar.fetch(`${t.base}/login`, loginBody(ada))
    const key = keyOf(jar)
    await jar.fetch(`${t.base}/logout`, post())
    expect(await t.store.get(key)).toBeUndefined()
    expect(await mirror.get(key)).toBeUndefined()
  })

  it('logoutEverywhere deletes the user’s sessions from the mirror too', async () => {
    const grace = { id: 'grace', name: 'Grace Hopper' }
    const jars = [new CookieJar(), new CookieJar(), new CookieJar()]
    for (const jar of jars) await jar.fetch(`${t.base}/login`, loginBody(grace))
    const keys = jars.map(keyOf)
    expect(await t.auth.logoutEverywhere('grace', { except: jars[0]?.get(COOKIE) as string })).toBe(
      2,
    )
    expect(await mirror.get(keys[0] as string)).toBeDefined()
    for (const key of keys.slice(1)) expect(await mirror.get(key)).toBeUndefined()
    await t.auth.logoutEverywhere('grace')
    expect(await mirror.listByUser('grace')).toEqual([])
  })
})
