import { SessionUsageError } from './errors.js'

/**
 * Throws `SessionUsageError` unless `value` survives a JSON round trip
 * unchanged and every store can keep it: plain objects, arrays, well-formed
 * strings (no lone UTF-16 surrogate, in values or keys), finite numbers,
 * booleans, null. Checked on `set` so the mistake surfaces where it is made,
 * the same for every store, not at commit as a store failure.
 */
export function assertJson(value: unknown, path: string): void {
  // Most session values are primitives: no cycle set for them.
  if (typeof value !== 'object' || value === null) checkJson(value, path, undefined)
  else checkJson(value, path, new Set())
}

// Here and in copy(), tests of the form `typeof value === '…'` compile to a
// type check, where `switch (typeof value)` makes the type's name and compares
// strings: once for every value checked or copied.
/**
 * Throws `SessionUsageError` unless `key` is a string that every store can
 * keep, then checks `value` as {@link assertJson} does.
 */
export function assertEntry(key: string, value: unknown): void {
  assertWellFormed(key, 'a session key')
  assertJson(value, key)
}

/**
 * Throws `SessionUsageError` unless `text` is a well-formed string. A lone
 * surrogate has no UTF-8 form: PostgreSQL refuses it, other stores would
 * keep a replacement character instead.
 */
export function assertWellFormed(text: unknown, what: string): void {
  if (typeof text !== 'string')
    throw new SessionUsageError(`${what} must be a string, got ${String(text)}`)
  if (!text.isWellFormed())
    throw new SessionUsageError(
      `${what} holds a lone UTF-16 surrogate (${JSON.stringify(text)}); session values must be well-formed Unicode`,
    )
}

function checkJson(value: unknown, path: string, seen: Set<object> | undefined): void {
  if (typeof value === 'string') {
    if (!value.isWellFormed()) assertWellFormed(value, path)
    return
  }
  if (typeof value === 'boolean') return
  if (typeof value === 'number' && Number.isFinite(value)) return
  if (typeof value === 'object') {
    if (value === null) return
    seen ??= new Set()
    if (seen.has(value))
      throw new SessionUsageError(`${path} is a circular structure; session values must be JSON`)
    const proto = Object.getPrototypeOf(value)
    if (Array.isArray(value)) {
      seen.add(value)
      for (const [index, item] of value.entries()) checkJson(item, `${path}[${index}]`, seen)
      seen.delete(value)
      return
    }
    if (proto === Object.prototype || proto === null) {
      seen.add(value)
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) assertWellFormed(key, `a key in ${path}`)
        checkJson(item, `${path}.${key}`, seen)
      }
      seen.delete(value)
      return
    }
    throw new SessionUsageError(
      `${path} is a ${proto?.constructor?.name ?? 'non-plain object'}; session values must be JSON (plain objects, arrays, strings, finite numbers, booleans, null)`,
    )
  }
  throw new SessionUsageError(`${path} is ${String(value)}; session values must be JSON`)
}

/**
 * A deep copy of a JSON value, equal to `JSON.parse(JSON.stringify(value))`
 * (undefined, function and symbol members dropped, non-finite numbers as null,
 * other objects through their JSON form) but several times faster for the
 * plain objects, arrays and primitives that sessions hold.
 */
export function cloneJson<T>(value: T): T {
  return copy(value) as T
}

function copy(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'object') {
    if (value === null) return null
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length)
      for (let i = 0; i < value.length; i++) {
        const item = copy(value[i])
        out[i] = item === undefined ? null : item
      }
      return out
    }
    const proto = Object.getPrototypeOf(value)
    const object = value as Record<string, unknown>
    if ((proto !== Object.prototype && proto !== null) || typeof object.toJSON === 'function')
      return viaJson(value)
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(object)) {
      const item = copy(object[key])
      if (item === undefined) continue
      // An own "__proto__" key (JSON.parse makes them) stays a key, as in JSON.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        })
      else out[key] = item
    }
    return out
  }
  // undefined, functions and symbols have no JSON form; bigint throws as in JSON.stringify.
  return typeof value === 'bigint' ? viaJson(value) : undefined
}

function viaJson(value: unknown): unknown {
  const text = JSON.stringify(value)
  return text === undefined ? undefined : JSON.parse(text)
}
