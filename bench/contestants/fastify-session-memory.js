// The peer: @fastify/session 11 with @fastify/cookie and its default memory
// store. saveUninitialized false (only /new creates sessions) and rolling
// false (a read does not re-save the session or re-send the cookie; latchkey
// does neither on /read), which spares it work rather than adding any. It takes
// no lock: /inc is the plain read-modify-write its docs show.
import { fastifySessionApp } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'fastify-session-memory',
  label: '@fastify/session + memory store',
  baseline: 'fastify-bare',
  create: () => fastifySessionApp(undefined),
}
