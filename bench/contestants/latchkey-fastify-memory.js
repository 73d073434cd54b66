// latchkey's Fastify plugin with MemoryStore. /inc is a locked
// read-modify-write (withLock: Node 20 cannot parse `await using` in plain
// JavaScript; it is the same lock). /read reads without the lock, as a
// read-only route should. warnLock is off: the routes are correct as written
// and the warning is a development aid, not part of the work measured.
import { MemoryStore } from 'latchkey/stores/memory'
import { latchkeyFastify } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-memory',
  label: 'latchkey + MemoryStore (Fastify)',
  baseline: 'fastify-bare',
  peer: 'fastify-session-memory',
  targets: [
    { scenario: 'inc', versus: 'fastify-bare', atLeast: 0.6 },
    { scenario: 'inc', versus: 'fastify-session-memory', atLeast: 2 },
    { scenario: 'read', versus: 'fastify-bare', atLeast: 0.75 },
    { scenario: 'hot', maxLostUpdates: 0 },
  ],
  create: () => latchkeyFastify(new MemoryStore()),
}
