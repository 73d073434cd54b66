import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { RequestSessions } from '../adapters/request-sessions.js'
import type { AuthSession } from '../auth/auth-session.js'
import { AuthSessions } from '../auth/auth-sessions.js'
import { MemoryStore } from '../stores/memory/index.js'
import { DIAGNOSTICS_CHANNELS } from './diagnostics.js'
import { SessionLockLostError } from './errors.js'
import { Sessions } from './sessions.js'
import type { StoreLease, StoreLockOptions } from './store.js'

type Channel = keyof typeof DIAGNOSTICS_CHANNELS
type Heard = Array<{ channel: Channel; message: Record<string, unknown> }>

const listeners: Array<[string, (message: unknown) => void]> = []

/** Everything published on every latchkey channel from now on, in order. */
function listen(): Heard {
  const heard: Heard = []
  for (const [channel, name] of Object.entries(DIAGNOSTICS_CHANNELS) as Array<[Channel, string]>) {
    const listener = (message: unknown) =>
      heard.push({ channel, message: message as Record<string, unknown> })
    subscribe(name, listener)
    listeners.push([name, listener])
  }
  return heard
}

afterEach(() => {
  for (const [name, listener] of listeners.splice(0)) unsubscribe(name, listener)
})

const of = (heard: Heard, channel: Channel) =>
  heard.filter((h) => h.channel === channel).map((h) => h.message)

const insecure = { cookie: { secure: false } }

/** One request on `manager`: `work` under the lock; resolves to the cookie pair it sent, if any. */
async function locked(
  manager: Sessions,
  cookie: string | undefined,
  work: () => Promise<void> | void = () => {},
): Promise<string | undefined> {
  const sessions = new RequestSessions({ cookie }, [manager])
  await sessions.get(manager).withLock(async (s) => {
    s.set('n', ((s.get('n') as number | undefined) ?? 0) + 1)
    await work()
  })
  const [line] = await sessions.finish()
  return line?.split(';')[0] ?? cookie
}

describe('diagnostics channels', () => {
  it('publish a new session, then a lock wait, its queue, wait and hold times', async () => {
    const manager = new Sessions({ store: new MemoryStore(), ...insecure })
    const heard = listen()
    const cookie = await locked(manager, undefined)
    const [created] = of(heard, 'sessionCreated')
    expect(created).toEqual({ manager: 'session', key: expect.stringMatching(/^[\w-]{43}$/) })
    // A new session takes no lock: nobody else can know its id.
    expect(of(heard, 'lockAcquired')).toEqual([])

    await Promise.all([
      locked(manager, cookie, () => sleep(60)),
      locked(manager, cookie),
      locked(manager, cookie),
    ])
    const { key } = created as { key: string }
    expect(of(heard, 'lockWait')).toEqual([
      { manager: 'session', key, queueLength: 0 },
      { manager: 'session', key, queueLength: 1 },
    ])
    const waits = of(heard, 'lockAcquired').map((m) => m.waitMs as number)
    expect(waits).toHaveLength(3)
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(50)
    const held = of(heard, 'lockReleased')
    expect(held).toHaveLength(3)
    expect(held[0]).toMatchObject({ manager: 'session', key })
    expect(held[0]?.heldMs).toBeGreaterThanOrEqual(50)
  })

  it('publish a lock timeout with its wait', async () => {
    const manager = new Sessions({ store: new MemoryStore(), lock: { timeout: 0.1 }, ...insecure })
    const cookie = await locked(manager, undefined)
    const heard = listen()
    const outcomes = await Promise.allSettled([
      locked(manager, cookie, () => sleep(300)),
      locked(manager, cookie),
    ])
    expect(outcomes[1]).toMatchObject({
      status: 'rejected',
      reason: { code: 'LATCHKEY_LOCK_TIMEOUT' },
    })
    const [timeout] = of(heard, 'lockTimeout')
    expect(timeout).toMatchObject({ manager: 'session' })
    expect(timeout?.waitMs).toBeGreaterThanOrEqual(90)
  })

  it('publish every store call, primary and mirror, with its failure', async () => {
    const mirror = new MemoryStore()
    const primary = new MemoryStore()
    const manager = new Sessions({ store: primary, mirrors: [mirror], ...insecure })
    const cookie = await locked(manager, undefined)
    const heard = listen()
    await locked(manager, cookie)
    expect(
      of(heard, 'storeCommand').map(({ operation, mirror, store }) => ({
        operation,
        mirror,
        store,
      })),
    ).toEqual([
      { operation: 'lock', mirror: false, store: 'memory' },
      { operation: 'set', mirror: true, store: 'memory' },
      { operation: 'commit', mirror: false, store: 'memory' },
    ])
    for (const call of of(heard, 'storeCommand')) expect(call.durationMs).toBeGreaterThanOrEqual(0)

    primary.get = () => Promise.reject(new Error('connection refused'))
    await expect(new RequestSessions({ cookie }, [manager]).get(manager).get('n')).rejects.toThrow()
    expect(of(heard, 'storeCommand').at(-1)).toMatchObject({
      operation: 'get',
      mirror: false,
      error: { code: 'LATCHKEY_STORE' },
    })
  })

  it('publish login, rotation, logout, destruction and revocation', async () => {
    const store = new MemoryStore()
    const auth = new AuthSessions({ store, ...insecure })
    const heard = listen()
    const login = async (cookie?: string) => {
      const sessions = new RequestSessions({ cookie }, [auth])
      await (sessions.get(auth) as AuthSession).login({ id: 'ada' })
      const [line] = await sessions.finish()
      return line?.split(';')[0] as string
    }
    const first = await login()
    const again = await login(first)
    await login()
    const logout = new RequestSessions({ cookie: again }, [auth])
    await (logout.get(auth) as AuthSession).logout()
    await logout.finish()
    expect(await auth.logoutEverywhere('ada')).toBe(1)

    expect(of(heard, 'login')).toEqual([
      { manager: 'authSession', userId: 'ada' },
      { manager: 'authSession', userId: 'ada' },
      { manager: 'authSession', userId: 'ada' },
    ])
    const created = of(heard, 'sessionCreated').map((m) => m.key)
    const [rotated] = of(heard, 'sessionRotated')
    expect(created).toHaveLength(2)
    expect(rotated).toMatchObject({ manager: 'authSession', from: created[0] })
    expect(of(heard, 'logout')).toEqual([{ manager: 'authSession', userId: 'ada' }])
    expect(of(heard, 'sessionDestroyed')).toEqual([{ manager: 'authSession', key: rotated?.to }])
    expect(of(heard, 'revoke')).toEqual([{ manager: 'authSession', userId: 'ada', ended: 1 }])
  })

  it('publish a lost lease', async () => {
    /** A store whose every lease was taken over by another holder before its commit. */
    class TakenOverStore extends MemoryStore {
      override async lock(key: string, options: StoreLockOptions): Promise<StoreLease> {
        const lease = await super.lock(key, options)
        return {
          record: lease.record,
          commit: async (change) => {
            await lease.commit()
            if (change) throw new SessionLockLostError()
            return true
          },
        }
      }
    }
    const store = new TakenOverStore()
    const manager = new Sessions({ store, ...insecure })
    const cookie = await locked(new Sessions({ store: store, ...insecure }), undefined)
    const heard = listen()
    await expect(locked(manager, cookie)).rejects.toMatchObject({ code: 'LATCHKEY_LOCK_LOST' })
    expect(of(heard, 'lockLost')).toEqual([
      { manager: 'session', key: of(heard, 'lockAcquired')[0]?.key },
    ])
    expect(of(heard, 'lockReleased')).toHaveLength(1)
  })
})
