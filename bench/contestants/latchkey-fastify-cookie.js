// latchkey's Fastify plugin with CookieStore: the whole session record in a
// Fernet token (AES-128-CBC + HMAC-SHA256) in the cookie, key from
// generateKey(). Same routes as latchkey-fastify-memory: /inc takes the lock
// (in-process only for a stateless store; it costs latchkey work and buys
// nothing across clients), /read reads without it.
//
// No hot scenario for the cookie stores: the state travels with the client,
// and autocannon sends every request with the same (first) cookie and drops
// the new cookie each response carries. Each hot request then increments the
// same n = 0 and returns n = 1; the "final n" read back is still 0, so the
// lost-update count would equal the request count for every cookie store and
// tell nothing about the library. What a stateless store can lose is a
// client-side race (two tabs writing different cookies), which no server can
// prevent.
import { CookieStore, generateKey } from 'latchkey/stores/cookie'
import { latchkeyFastify } from '../lib/apps.js'
import { COOKIE_STORE_SKIP } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-cookie',
  label: 'latchkey + CookieStore (Fastify)',
  baseline: 'fastify-bare',
  peer: 'fastify-secure-session',
  skip: COOKIE_STORE_SKIP,
  targets: [
    { scenario: 'inc', versus: 'fastify-secure-session', atLeast: 1.0 },
    { scenario: 'inc', versus: 'iron-session', atLeast: 10 },
  ],
  create: () => latchkeyFastify(new CookieStore({ keys: generateKey() })),
}
