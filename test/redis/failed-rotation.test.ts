import { afterAll, beforeAll, expect, it } from 'vitest'
import { Sessions } from '../../src/core/sessions.js'
import type { SessionRecord } from '../../src/core/store.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'
import { connectClient, type TestClient } from './clients.js'

/** A real RedisStore whose next plain `set` (a new or rotated id) fails, as a dropped write would. */
class FailingSetStore extends RedisStore {
  failNextSet = false

  override async set(key: string, record: SessionRecord, ttlSeconds: number): Promise<void> {
    if (this.failNextSet) {
      this.failNextSet = false
      throw new Error('connection reset')
    }
    return super.set(key, record, ttlSeconds)
  }
}

describeRedis('a rotation whose new record cannot be written', () => {
  let redis: RedisServer
  let connection: TestClient
  let sessions: Sessions
  let store: FailingSetStore
  beforeAll(async () => {
    redis = await startRedis()
    connection = await connectClient('node-redis', redis.server.port)
    store = new FailingSetStore({ client: connection.client, prefix: 'failed-rotation:' })
    // A lease far longer than the lock timeout: a lock left behind would outlast every wait below.
    sessions = new Sessions({ store, lock: { timeout: 1, lease: 60 } })
  })
  afterAll(async () => {
    await sessions?.close()
    await connection?.close()
    await redis?.dispose()
  })

  /** Runs one request on the session `cookie` names; resolves to its Set-Cookie values. */
  async function requestWith(
    cookie: string | undefined,
    work: (s: ReturnType<Sessions['open']>) => Promise<void>,
  ) {
    const session = sessions.open({ cookie })
    try {
      await work(session)
    } finally {
      await session.commit().catch(() => {})
    }
    return session
  }

  it('releases the old session lock, so the next request on it is served', async () => {
    const first = sessions.open({ cookie: undefined })
    await first.set('n', 1)
    const [setCookie] = await first.commit()
    const cookie = (setCookie as string).split(';')[0]

    store.failNextSet = true
    const rotation = sessions.open({ cookie })
    await expect(rotation.regenerate()).rejects.toMatchObject({ code: 'LATCHKEY_STORE' })

    const next = await requestWith(cookie, async (s) => {
      await using locked = await s.lock()
      locked.set('n', (locked.get('n') as number) + 1)
    })
    expect(await next.get('n')).toBe(2)
  })
})
