import { SessionStoreError, SessionUsageError } from '../../core/errors.js'
import type { SessionStore } from '../../core/store.js'
import { type Output, printJson } from '../output.js'
import { userSessions } from '../user-sessions.js'

const sessions = (count: number) => `${count} session${count === 1 ? '' : 's'}`

/** The user's session with that reference, deleted; how many were (1). */
async function revokeOne(store: SessionStore, userId: string, reference: string): Promise<number> {
  const session = (await userSessions(store, userId)).find((s) => s.reference === reference)
  if (session === undefined)
    throw new SessionStoreError(
      store.name,
      `user ${userId} has no live session ${reference} (see: latchkey sessions list --user ${userId})`,
    )
  // A request holding the session's lock finds the record gone and cannot write it back.
  await store.delete(session.key)
  return 1
}

/**
 * `sessions revoke --user <id> [--session <reference>]`: ends one session of
 * the user, or all of them.
 */
export async function revoke(
  store: SessionStore,
  userId: string,
  reference: string | undefined,
  out: Output,
): Promise<void> {
  if (store.deleteByUser === undefined)
    throw new SessionUsageError(`the ${store.name} store has no per-user index`)
  const revoked =
    reference === undefined
      ? (await store.deleteByUser(userId)).length
      : await revokeOne(store, userId, reference)
  if (out.json) printJson(out, { user: userId, revoked })
  else out.stdout(`revoked ${sessions(revoked)} of user ${userId}\n`)
}
