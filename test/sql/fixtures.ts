import { newSessionId } from '../../src/crypto/ids.js'
import { hashSessionId, type SessionRecord } from '../../src/index.js'

/** A fresh store key, as the manager would derive it from a new session id. */
export function newKey(): string {
  return hashSessionId(newSessionId())
}

/** A record that lives `ttlSeconds` from now. */
export function recordOf(
  data: SessionRecord['data'],
  ttlSeconds = 60,
  extra: Partial<SessionRecord> = {},
): SessionRecord {
  const now = Date.now()
  return { data, createdAt: now, lastSeenAt: now, expiresAt: now + ttlSeconds * 1000, ...extra }
}
