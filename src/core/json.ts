import { SessionUsageError } from './errors.js'

/**
 * Throws `SessionUsageError` unless `value` survives a JSON round trip
 * unchanged: plain objects, arrays, strings, finite numbers, booleans, null.
 * Checked on `set` so the mistake surfaces where it is made, not at commit.
 */
export function assertJson(value: unknown, path: string, seen: Set<object> = new Set()): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return
    case 'number':
      if (Number.isFinite(value)) return
      break
    case 'object': {
      if (value === null) return
      if (seen.has(value))
        throw new SessionUsageError(`${path} is a circular structure; session values must be JSON`)
      const proto = Object.getPrototypeOf(value)
      if (Array.isArray(value)) {
        seen.add(value)
        for (const [index, item] of value.entries()) assertJson(item, `${path}[${index}]`, seen)
        seen.delete(value)
        return
      }
      if (proto === Object.prototype || proto === null) {
        seen.add(value)
        for (const [key, item] of Object.entries(value)) assertJson(item, `${path}.${key}`, seen)
        seen.delete(value)
        return
      }
      throw new SessionUsageError(
        `${path} is a ${proto?.constructor?.name ?? 'non-plain object'}; session values must be JSON (plain objects, arrays, strings, finite numbers, booleans, null)`,
      )
    }
  }
  throw new SessionUsageError(`${path} is ${String(value)}; session values must be JSON`)
}
