/** The part of a Durable Object's transactional storage latchkey uses (Workers' `DurableObjectStorage`). */
export interface DurableObjectStorageLike {
  get<T>(key: string): Promise<T | undefined>
  put<T>(key: string, value: T): Promise<void>
  delete(key: string): Promise<boolean>
  delete(keys: string[]): Promise<number>
  list<T>(options: { prefix: string }): Promise<Map<string, T>>
  getAlarm(): Promise<number | null>
  setAlarm(scheduledTime: number): Promise<void>
}

/** The part of a Durable Object's state latchkey uses (Workers' `DurableObjectState`). */
export interface DurableObjectStateLike {
  readonly storage: DurableObjectStorageLike
}

/**
 * Moves the object's alarm later to `until` (never earlier): the alarm is when
 * everything stored so far may have expired, and the handler then deletes what has.
 */
export async function cleanUpBy(storage: DurableObjectStorageLike, until: number): Promise<void> {
  const alarm = await storage.getAlarm()
  if (alarm === null || alarm < until) await storage.setAlarm(until)
}

/** Workers' storage deletes at most this many keys in one call. */
const MAX_KEYS_PER_DELETE = 128

/** Deletes any number of keys, in batches the storage accepts. */
export async function deleteKeys(storage: DurableObjectStorageLike, keys: string[]): Promise<void> {
  for (let at = 0; at < keys.length; at += MAX_KEYS_PER_DELETE)
    await storage.delete(keys.slice(at, at + MAX_KEYS_PER_DELETE))
}
