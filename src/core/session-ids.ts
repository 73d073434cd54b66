import { isWellFormedSessionId, newSessionId } from '../crypto/ids.js'
import { SessionConfigError, SessionUsageError } from './errors.js'

/** How a manager makes session ids and recognises them in cookies. */
export interface SessionIds {
  /** A new id for a session. */
  generate(): string
  /** Whether a value from a cookie has the shape of an id this manager makes (checked before any lookup). */
  isWellFormed(value: string): boolean
}

/** The default: 256 random bits in base64url, exactly 43 characters. */
export const randomIds: SessionIds = {
  generate: newSessionId,
  isWellFormed: isWellFormedSessionId,
}

/** The shortest id a custom factory may give: 32 characters of base64url's alphabet carry up to 192 bits. */
export const MIN_CUSTOM_ID_LENGTH = 32
/** The longest; a cookie value has room for it, and a lookup of junk stays cheap. */
export const MAX_CUSTOM_ID_LENGTH = 256

const URL_SAFE = /^[A-Za-z0-9_-]+$/

function hasCustomShape(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= MIN_CUSTOM_ID_LENGTH &&
    value.length <= MAX_CUSTOM_ID_LENGTH &&
    URL_SAFE.test(value)
  )
}

/**
 * The ids of a `generateId` factory: one sample is checked when the manager is
 * made, and every id after it when it is made. The ids are hashed at rest like
 * the default ones; their randomness is the factory's to give.
 *
 * @throws {SessionConfigError} when `generate` is not a function or its sample is not 32 to 256 URL-safe characters
 */
export function customIds(generate: unknown): SessionIds {
  if (typeof generate !== 'function') throw new SessionConfigError('generateId must be a function')
  const shape = `a string of ${MIN_CUSTOM_ID_LENGTH} to ${MAX_CUSTOM_ID_LENGTH} URL-safe characters (A-Z a-z 0-9 - _)`
  const sample: unknown = generate()
  if (!hasCustomShape(sample))
    throw new SessionConfigError(`generateId must return ${shape}, got ${describe(sample)}`)
  return {
    generate() {
      const id: unknown = generate()
      if (!hasCustomShape(id))
        throw new SessionUsageError(`generateId returned ${describe(id)}; it must return ${shape}`)
      return id
    },
    isWellFormed: hasCustomShape,
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `a string of ${value.length} characters` : typeof value
}
