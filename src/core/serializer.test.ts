import superjson from 'superjson'
import { describe, expect, it } from 'vitest'
import { RequestSessions } from '../adapters/request-sessions.js'
import { hashSessionId } from '../crypto/ids.js'
import { CookieStore, generateKey } from '../stores/cookie/index.js'
import { MemoryStore } from '../stores/memory/index.js'
import { SessionConfigError, SessionCookieTooLargeError, SessionSerializerError } from './errors.js'
import type { ErrorReporter } from './options.js'
import type { Serializer } from './serializer.js'
import { Sessions } from './sessions.js'
import type { SessionData } from './store.js'

/** One request: `work` under the lock; resolves to its cookie pair (`NAME=value`) if it sent one. */
async function requestOn(
  manager: Sessions,
  cookie: string | undefined,
  work: (data: { get(key: string): unknown; set(key: string, value: unknown): void }) => void,
): Promise<string | undefined> {
  const sessions = new RequestSessions({ cookie }, [manager])
  await sessions.get(manager).withLock((s) => work(s as never))
  const [line] = await sessions.finish()
  return line?.split(';')[0]
}

async function read(manager: Sessions, cookie: string | undefined, key: string) {
  return new RequestSessions({ cookie }, [manager]).get(manager).get(key)
}

function reports(): { errors: unknown[]; onError: ErrorReporter } {
  const errors: unknown[] = []
  return { errors, onError: (error) => errors.push(error) }
}

const insecure = { cookie: { secure: false } }

describe('serializer', () => {
  it('keeps what JSON cannot (Dates, Sets) with superjson, stored as the string it makes', async () => {
    const store = new MemoryStore()
    const manager = new Sessions({ store, serializer: superjson, ...insecure })
    const at = new Date('2026-12-03T10:00:00Z')
    const cookie = await requestOn(manager, undefined, (s) => {
      s.set('at', at)
      s.set('tags', new Set(['a', 'b']))
    })
    const stored = await store.get(hashSessionId(String(cookie?.split('=')[1])))
    expect(typeof stored?.data).toBe('string')
    expect(superjson.parse(stored?.data as string)).toEqual({ at, tags: new Set(['a', 'b']) })
    const back = await read(manager, cookie, 'at')
    expect(back).toBeInstanceOf(Date)
    expect(back).toEqual(at)
    expect(await read(manager, cookie, 'tags')).toEqual(new Set(['a', 'b']))
  })

  it('reads data stored as JSON before the serializer was configured', async () => {
    const store = new MemoryStore()
    const before = new Sessions({ store, ...insecure })
    const cookie = await requestOn(before, undefined, (s) => s.set('n', 1))
    const after = new Sessions({ store, serializer: superjson, ...insecure })
    expect(await read(after, cookie, 'n')).toBe(1)
    await requestOn(after, cookie, (s) => s.set('n', Number(s.get('n')) + 1))
    expect(await read(after, cookie, 'n')).toBe(2)
  })

  it('fails a save whose stringify throws with LATCHKEY_SERIALIZER, writes nothing and unlocks', async () => {
    const store = new MemoryStore()
    const manager = new Sessions({
      store,
      serializer: superjson,
      lock: { timeout: 1 },
      ...insecure,
    })
    const cookie = await requestOn(manager, undefined, (s) => s.set('n', 1))
    const failing = {}
    Object.defineProperty(failing, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('unserializable')
      },
    })
    await expect(requestOn(manager, cookie, (s) => s.set('bad', failing))).rejects.toMatchObject({
      code: 'LATCHKEY_SERIALIZER',
      message: expect.stringContaining('unserializable'),
    })
    expect(await read(manager, cookie, 'bad')).toBeUndefined()
    // The lock was given back: the next locked request on the session is served.
    await requestOn(manager, cookie, (s) => s.set('n', Number(s.get('n')) + 1))
    expect(await read(manager, cookie, 'n')).toBe(2)
  })

  it('refuses a stringify that gives no well-formed string', async () => {
    const lone: Serializer = { stringify: () => '"\uD800"', parse: JSON.parse }
    const notText = { stringify: () => 42, parse: JSON.parse } as unknown as Serializer
    for (const serializer of [lone, notText]) {
      const manager = new Sessions({ store: new MemoryStore(), serializer, ...insecure })
      await expect(requestOn(manager, undefined, (s) => s.set('n', 1))).rejects.toThrow(
        SessionSerializerError,
      )
    }
  })

  it('gives an empty session for data that fails to parse, reports it, and keeps the stored record', async () => {
    const store = new MemoryStore()
    const { errors, onError } = reports()
    let broken = false
    const serializer: Serializer = {
      stringify: (data) => superjson.stringify(data),
      parse: (text) => {
        if (broken) throw new Error('unexpected token')
        return superjson.parse<SessionData>(text)
      },
    }
    const manager = new Sessions({ store, serializer, onError, ...insecure })
    const cookie = await requestOn(manager, undefined, (s) => s.set('n', 1))
    const key = hashSessionId(String(cookie?.split('=')[1]))
    const kept = await store.get(key)

    broken = true
    expect(await read(manager, cookie, 'n')).toBeUndefined()
    await requestOn(manager, cookie, (s) => expect(s.get('n')).toBeUndefined())
    expect(errors).toHaveLength(2)
    expect(errors[0]).toBeInstanceOf(SessionSerializerError)
    expect(errors[0]).toMatchObject({ message: expect.stringContaining('unexpected token') })
    expect(await store.get(key)).toEqual(kept)

    broken = false
    expect(await read(manager, cookie, 'n')).toBe(1)
  })

  it('reports data a custom serializer made, read by a manager without one, as an empty session', async () => {
    const store = new MemoryStore()
    const custom = new Sessions({ store, serializer: superjson, ...insecure })
    const cookie = await requestOn(custom, undefined, (s) => s.set('n', 1))
    const { errors, onError } = reports()
    const plain = new Sessions({ store, onError, ...insecure })
    expect(await read(plain, cookie, 'n')).toBeUndefined()
    expect(errors).toEqual([expect.any(SessionSerializerError)])
  })

  it('treats a parse that gives no object as unreadable', async () => {
    const store = new MemoryStore()
    const { errors, onError } = reports()
    const serializer = { stringify: JSON.stringify, parse: () => [1, 2] } as unknown as Serializer
    const manager = new Sessions({ store, serializer, onError, ...insecure })
    const cookie = await requestOn(manager, undefined, (s) => s.set('n', 1))
    expect(await read(manager, cookie, 'n')).toBeUndefined()
    expect(errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('an array') }),
    ])
  })

  it('seals the serialized data in the cookie store, whose size limit counts it', async () => {
    const key = generateKey()
    const manager = new Sessions({
      store: new CookieStore({ keys: key }),
      serializer: superjson,
      ...insecure,
    })
    const at = new Date('2026-01-01T00:00:00Z')
    const cookie = await requestOn(manager, undefined, (s) => s.set('at', at))
    expect(await read(manager, cookie, 'at')).toEqual(at)

    // 120 times fit in a cookie as JSON numbers, not as superjson's Dates: the limit counts
    // the serialized data, type annotations included.
    const dates = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)))
    const plain = new Sessions({ store: new CookieStore({ keys: key }), ...insecure })
    await requestOn(plain, undefined, (s) =>
      s.set(
        'dates',
        dates.map((d) => d.getTime()),
      ),
    )
    await expect(
      requestOn(manager, undefined, (s) => s.set('dates', dates)),
    ).rejects.toBeInstanceOf(SessionCookieTooLargeError)
  })

  it('is checked when the manager is made', () => {
    const store = new MemoryStore()
    const make = (serializer: unknown) =>
      new Sessions({ store, serializer: serializer as Serializer })
    expect(() => make({ stringify: JSON.stringify })).toThrow(SessionConfigError)
    expect(() => make('json')).toThrow(/stringify\(data\) and parse\(text\)/)
    expect(() => make(null)).toThrow(SessionConfigError)
    expect(() => make(JSON)).not.toThrow()
  })
})
