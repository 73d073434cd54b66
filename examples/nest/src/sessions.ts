// The example's managers, on the store the environment names (examples/shared/store.js).
import { AuthSessions, Sessions } from 'latchkey'
import { chooseStore } from '../../shared/store.js'

export const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
const cookie = { secure: process.env.NODE_ENV === 'production' }
export const sessions = new Sessions<{ n: number }>({ store, cookie }) // req.session
export const auth = new AuthSessions<Record<string, never>, { id: string }>({ store, cookie }) // req.authSession
