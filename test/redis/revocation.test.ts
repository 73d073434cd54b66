import { setImmediate as nextTurn } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MemoryStore } from '../../src/stores/memory/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { type AuthApp, loginBody, startAuthApp } from '../auth/app.js'
import { cookiePair, request } from '../support/http.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'
import { connectClient, FLAVOURS, type TestClient } from './clients.js'

const COOKIE = 'SECURE_SESSION'

/**
 * One login racing one `logoutEverywhere` of the same user, the revocation
 * started a varying number of event-loop turns after the login request so that
 * it lands before, inside and after the login's writes. Returns the session
 * cookies the logins got.
 */
async function loginRacingLogoutEverywhere(t: AuthApp, user: string, round: number) {
  const login = request(`${t.base}/login`, loginBody({ id: user, name: user }))
  for (let turn = 0; turn < round % 12; turn++) await nextTurn()
  const [reply] = await Promise.all([login, t.auth.logoutEverywhere(user)])
  return { user, cookie: cookiePair(reply, COOKIE) }
}

/** Logins still logged in after a later, quiet `logoutEverywhere` of their user. */
async function survivors(t: AuthApp, logins: Array<{ user: string; cookie?: string | undefined }>) {
  for (const { user } of logins) await t.auth.logoutEverywhere(user)
  let alive = 0
  for (const { cookie } of logins) {
    if (cookie === undefined) continue
    const me = (await request(`${t.base}/me`, { cookie })).json<{ user: unknown }>()
    if (me.user !== null) alive++
  }
  return alive
}

describeRedis('logoutEverywhere racing logins, through AuthSessions', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(() => redis?.dispose())

  for (const flavour of FLAVOURS) {
    describe(flavour, () => {
      let connection: TestClient
      let t: AuthApp
      beforeAll(async () => {
        connection = await connectClient(flavour, redis.server.port)
        const store = new RedisStore({ client: connection.client, prefix: `race-${flavour}:` })
        t = await startAuthApp({}, store as unknown as MemoryStore)
      })
      afterAll(async () => {
        await t?.app.close()
        await connection?.close()
      })

      it('no login that raced it survives a later logoutEverywhere, one at a time', async () => {
        const logins = []
        for (let round = 0; round < 300; round++)
          logins.push(await loginRacingLogoutEverywhere(t, `quiet-${flavour}-${round}`, round))
        const alive = await survivors(t, logins)
        expect(alive, `${alive} of ${logins.length} logins survived`).toBe(0)
      })

      it('no login that raced it survives a later logoutEverywhere, 8 races at a time', async () => {
        const workers = await Promise.all(
          Array.from({ length: 8 }, async (_, worker) => {
            const logins = []
            for (let round = 0; round < 75; round++)
              logins.push(
                await loginRacingLogoutEverywhere(t, `loaded-${flavour}-${worker}-${round}`, round),
              )
            return logins
          }),
        )
        const logins = workers.flat()
        const alive = await survivors(t, logins)
        expect(alive, `${alive} of ${logins.length} logins survived`).toBe(0)
      })
    })
  }
})
