// latchkey's Fastify plugin with CookieStore in its 'aes-256-gcm' format: the
// same record as latchkey-fastify-cookie, sealed with AES-256-GCM under a key
// derived per cookie (HKDF-SHA256) instead of Fernet. Same routes; no hot
// scenario, for the reason given in latchkey-fastify-cookie.js.
import { CookieStore, generateKey } from 'latchkey/stores/cookie'
import { latchkeyFastify } from '../lib/apps.js'
import { COOKIE_STORE_SKIP } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-cookie-gcm',
  label: 'latchkey + CookieStore aes-256-gcm (Fastify)',
  baseline: 'fastify-bare',
  peer: 'fastify-secure-session',
  skip: COOKIE_STORE_SKIP,
  targets: [{ scenario: 'inc', versus: 'fastify-secure-session', atLeast: 1.0 }],
  create: () => latchkeyFastify(new CookieStore({ keys: generateKey(), format: 'aes-256-gcm' })),
}
