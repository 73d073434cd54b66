import { createHash } from 'node:crypto'

/** Separates references from every other hash latchkey derives from a stored key. */
const DOMAIN = 'latchkey session reference v1\0'

/**
 * A short public name for one stored session, for lists shown to people (the
 * `latchkey sessions list` command, a "your devices" page): 16 url-safe
 * characters (96 bits) of SHA-256 over a fixed prefix and the stored key.
 * It is neither the session id nor the stored key, and neither can be found
 * from it, so showing it or pasting it into a ticket grants nothing; the
 * same session always has the same reference.
 *
 * @param storedKey the key the store holds the session under (the hashed id,
 *   as `IndexedSession.key` gives it)
 * @example
 * ```ts
 * const references = (await store.listByUser('42')).map(({ key }) => sessionReference(key))
 * ```
 */
export function sessionReference(storedKey: string): string {
  return createHash('sha256').update(DOMAIN).update(storedKey).digest('base64url').slice(0, 16)
}
