import type { IndexEntry } from './protocol.js'
import { cleanUpBy, type DurableObjectStorageLike, deleteKeys } from './storage.js'

const ENTRY = 'entry:'

/**
 * One user's index object: a storage key per session, holding the expiry the
 * session was last indexed with (a login, a write or a touch). Entries outlive
 * nothing: an expired one is never listed, and the alarm deletes it.
 */
export class UserIndexObject {
  readonly #storage: DurableObjectStorageLike

  constructor(storage: DurableObjectStorageLike) {
    this.#storage = storage
  }

  async add(key: string, until: number): Promise<void> {
    await this.#storage.put(ENTRY + key, until)
    await cleanUpBy(this.#storage, until)
  }

  async list(): Promise<IndexEntry[]> {
    const now = Date.now()
    return [...(await this.#entries())].filter(([, until]) => until > now)
  }

  /** Only entries unchanged since read: a session indexed again meanwhile keeps its entry. */
  async remove(entries: IndexEntry[]): Promise<void> {
    const stored = await this.#entries()
    const unchanged = entries.filter(([key, until]) => stored.get(key) === until)
    await deleteKeys(
      this.#storage,
      unchanged.map(([key]) => ENTRY + key),
    )
  }

  /** The alarm: drops expired entries, and sets the alarm again for the others. */
  async cleanUp(): Promise<void> {
    const now = Date.now()
    const entries = [...(await this.#entries())]
    const expired = entries.filter(([, until]) => until <= now)
    const later = entries.filter(([, until]) => until > now).map(([, until]) => until)
    await deleteKeys(
      this.#storage,
      expired.map(([key]) => ENTRY + key),
    )
    if (later.length > 0) await this.#storage.setAlarm(Math.max(...later))
  }

  async #entries(): Promise<Map<string, number>> {
    const stored = await this.#storage.list<number>({ prefix: ENTRY })
    return new Map([...stored].map(([name, until]) => [name.slice(ENTRY.length), until]))
  }
}
