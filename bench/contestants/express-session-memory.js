// The Express peer: express-session with its default MemoryStore, the
// settings of fastify-session-memory (saveUninitialized, resave and rolling
// false: a read neither re-saves nor re-sends the cookie). These spare it
// work. No lock: /inc is the plain read-modify-write its docs show; its
// memory store answers on the next tick, so the hot session's count shows
// whether requests interleave between read and write.
import { expressSession } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-session-memory',
  label: 'express-session + MemoryStore',
  baseline: 'express-bare',
  create: () => expressSession(undefined),
}
