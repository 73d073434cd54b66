// The managers, made once when the server starts, on the store the environment chooses.
// Nitro auto-imports what server/utils exports; the plugin and routes import it by path,
// so each file says where its names come from.
import { AuthSessions, Sessions } from 'latchkey'
import { chooseStore } from '../../../shared/store.js'

const { store, label } = await chooseStore()
// Cookies are Secure by default; plain http://127.0.0.1 outside production needs them without.
// Nitro writes NODE_ENV into the build: a built server is production, `nuxi dev` is not.
const cookie = { secure: process.env.NODE_ENV === 'production' }

export const sessions = new Sessions({ store, cookie })
export const auth = new AuthSessions({ store, cookie })
export const storeLabel = label
