// The example's managers, made once per process and kept on globalThis: `next dev` evaluates a
// changed module again, and a second MemoryStore would forget every session.
import { AuthSessions, Sessions } from 'latchkey'
import { chooseStore } from '../../shared/store.js'

async function create() {
  const { store, label } = await chooseStore()
  // Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
  const cookie = { secure: process.env.NODE_ENV === 'production' }
  return {
    sessions: new Sessions({ store, cookie }),
    auth: new AuthSessions({ store, cookie }),
    label,
  }
}

/** @returns {Promise<{ sessions: Sessions<{ n?: number }>, auth: AuthSessions<{}, { id: string }>, label: string }>} */
export function managers() {
  globalThis.latchkeyExample ??= create()
  return globalThis.latchkeyExample
}
