import type { SessionStore } from '../../core/store.js'
import { humanTime, type Output, printJson, table } from '../output.js'
import { userSessions } from '../user-sessions.js'

/** `sessions list --user <id>`: the user's live sessions, with the reference `revoke` takes. */
export async function list(store: SessionStore, userId: string, out: Output): Promise<void> {
  const sessions = await userSessions(store, userId)
  if (out.json) {
    printJson(out, {
      user: userId,
      sessions: sessions.map(({ key: _key, ...session }) => ({
        ...session,
        createdAt: new Date(session.createdAt).toISOString(),
        lastSeenAt: new Date(session.lastSeenAt).toISOString(),
        expiresAt: new Date(session.expiresAt).toISOString(),
      })),
    })
    return
  }
  if (sessions.length === 0) {
    out.stdout(`no sessions for user ${userId}\n`)
    return
  }
  out.stdout(
    table(
      ['CREATED', 'LAST SEEN', 'EXPIRES', 'REFERENCE', 'USER AGENT'],
      sessions.map((session) => [
        humanTime(session.createdAt),
        humanTime(session.lastSeenAt),
        humanTime(session.expiresAt),
        session.reference,
        session.userAgent ?? '-',
      ]),
    ),
  )
}
