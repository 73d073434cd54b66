// A reference: latchkey-fastify-memory with a subscriber on each of latchkey's
// diagnostics channels that does nothing, so every message is built and
// published. Its distance from latchkey-fastify-memory is what listening costs.
import { subscribe } from 'node:diagnostics_channel'
import { DIAGNOSTICS_CHANNELS } from 'latchkey'
import { MemoryStore } from 'latchkey/stores/memory'
import { latchkeyFastify } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'latchkey-fastify-memory-diagnostics',
  label: 'latchkey + MemoryStore (Fastify), every channel subscribed',
  baseline: 'fastify-bare',
  create() {
    for (const name of Object.values(DIAGNOSTICS_CHANNELS)) subscribe(name, () => {})
    return latchkeyFastify(new MemoryStore())
  },
}
