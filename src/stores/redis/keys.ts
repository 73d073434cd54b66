/**
 * Key layout. The keys of one session share the hash tag `{<hashed id>}`, so
 * they live in one cluster slot and one script can use them together:
 *
 * - `<prefix>{<key>}`       the session (a hash)
 * - `<prefix>{<key>}:lock`  its lock (the holder's token, with the lease as TTL)
 * - `<prefix>{<key>}:revoked` the users whose `deleteByUser` covered it (a set):
 *   no record of theirs may be written there any more
 * - `<prefix>user:{<userId>}` a user's sessions (a sorted set scored by expiry)
 *
 * The user index has its own hash tag, so it usually sits in another slot
 * than the sessions it lists; it is always updated with commands of its own.
 */
export class KeyLayout {
  readonly #prefix: string

  constructor(prefix: string) {
    this.#prefix = prefix
  }

  data(key: string): string {
    return `${this.#prefix}{${key}}`
  }

  lock(key: string): string {
    return `${this.#prefix}{${key}}:lock`
  }

  revoked(key: string): string {
    return `${this.#prefix}{${key}}:revoked`
  }

  /** A SCAN pattern matching every session hash (not locks, revocations or user indexes). */
  dataPattern(): string {
    return `${globEscaped(this.#prefix)}{*}`
  }

  /** A SCAN pattern matching every user index. */
  userPattern(): string {
    return `${globEscaped(this.#prefix)}user:{*}`
  }

  /** A user id may hold any character; encoding keeps braces out of the hash tag. */
  user(userId: string): string {
    return `${this.#prefix}user:{${encodeURIComponent(userId)}}`
  }
}

/** The prefix as a literal in a Redis glob pattern. */
function globEscaped(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}
