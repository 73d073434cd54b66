// The test app's managers, once per process; a short lock timeout, so that a lock left held
// fails the next request fast instead of waiting out the default.
import { AuthSessions, Sessions } from 'latchkey'
import { MemoryStore } from 'latchkey/stores/memory'

function create() {
  const store = new MemoryStore()
  const options = { store, cookie: { secure: false }, lock: { timeout: 2 } }
  return { sessions: new Sessions(options), auth: new AuthSessions(options) }
}

globalThis.latchkeyTest ??= create()
export const { sessions, auth } = globalThis.latchkeyTest
