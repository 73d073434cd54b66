// Cookie-store peer on Hono: hono-sessions 0.8 with its CookieStore (iron
// seal through iron-webcrypto, an encryptionKey of ≥ 32 characters), Hono 4 on
// @hono/node-server. expireAfterSeconds = the shared 30 days;
// autoExtendExpiration off, which spares it work. No lock. Hot scenario
// skipped: see latchkey-fastify-cookie.js.
import { CookieStore } from 'hono-sessions'
import { honoSessionsApp } from '../lib/apps.js'
import { COOKIE_STORE_SKIP } from '../lib/fairness.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'hono-sessions',
  label: 'hono-sessions + CookieStore (Hono)',
  baseline: 'hono-bare',
  skip: COOKIE_STORE_SKIP,
  create: () => honoSessionsApp(new CookieStore()),
}
