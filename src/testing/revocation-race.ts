import assert from 'node:assert/strict'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { SessionRecord, SessionStore } from '../core/store.js'
import { hashSessionId, newSessionId } from '../crypto/ids.js'

const ROUNDS = 150
const SESSIONS_PER_ROUND = 3

function record(userId: string): SessionRecord {
  const now = Date.now()
  return { data: {}, userId, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000 }
}

/**
 * Logins racing "log out everywhere": in each round, sessions of one user are
 * written while `deleteByUser` of that user runs, the revocation started a
 * varying number of event-loop turns after the writes so that it lands
 * before, between and after the steps of a store that writes in several.
 * A write may win or lose the race, but a session that survives must stay
 * findable: listed by `listByUser` and deleted by a later, quiet `deleteByUser`.
 */
export async function writesRacingDeleteByUser(store: SessionStore): Promise<void> {
  const rounds = await Promise.all(
    Array.from({ length: ROUNDS }, async (_, round) => {
      const user = `user-${newSessionId()}`
      const keys = Array.from({ length: SESSIONS_PER_ROUND }, () => hashSessionId(newSessionId()))
      const writes = keys.map((key) => store.set(key, record(user), 60))
      for (let turn = 0; turn < round % 4; turn++) await nextTurn()
      await Promise.all([...writes, store.deleteByUser?.(user)])
      return { user, keys }
    }),
  )
  let live = 0
  let unlisted = 0
  for (const { user, keys } of rounds) {
    const listed = new Set(((await store.listByUser?.(user)) ?? []).map((entry) => entry.key))
    for (const key of keys) {
      if ((await store.get(key)) === undefined) continue
      live++
      if (!listed.has(key)) unlisted++
    }
  }
  let survivors = 0
  for (const { user, keys } of rounds) {
    await store.deleteByUser?.(user)
    for (const key of keys) if ((await store.get(key)) !== undefined) survivors++
  }
  const written = ROUNDS * SESSIONS_PER_ROUND
  assert.equal(
    unlisted,
    0,
    `${unlisted} of ${live} sessions alive after the race (of ${written} written) are not listed by listByUser`,
  )
  assert.equal(
    survivors,
    0,
    `${survivors} of ${written} sessions survived a quiet deleteByUser after the race`,
  )
}
