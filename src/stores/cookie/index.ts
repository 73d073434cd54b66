/**
 * The encrypted-cookie store: `import { CookieStore, generateKey } from 'latchkey/stores/cookie'`.
 * @module
 */
export { generateKey } from '../../crypto/fernet.js'
export { type CookieFormat, CookieStore, type CookieStoreOptions } from './cookie-store.js'
