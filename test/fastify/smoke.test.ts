import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { startCounterApp } from '../support/counter-app.js'
import { CookieJar } from '../support/http.js'

describe('smoke', () => {
  const sessions = new Sessions<{ n: number }>({ store: new MemoryStore(), warnLock: false })
  let app: FastifyInstance
  let base = ''
  beforeAll(async () => {
    ;({ app, base } = await startCounterApp(sessions))
  })
  afterAll(() => app.close())

  it('increments under the lock', async () => {
    const jar = new CookieJar()
    const first = await jar.fetch(`${base}/inc`)
    expect(first.json()).toEqual({ n: 1 })
    expect(first.setCookies[0]).toMatch(
      /^SESSION=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; Expires=.* GMT; HttpOnly; Secure; SameSite=Lax$/,
    )
    await Promise.all(Array.from({ length: 200 }, () => jar.fetch(`${base}/inc`)))
    const read = await jar.fetch(`${base}/read`)
    expect(read.json()).toEqual({ n: 201 })
    expect(read.setCookies).toEqual([])
  })
})
