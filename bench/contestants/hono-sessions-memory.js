// The Hono peer with server-side state: hono-sessions 0.8 with its
// MemoryStore (the cookie holds the session id, sealed with the
// encryptionKey), Hono 4 on @hono/node-server. expireAfterSeconds = the shared
// 30 days; autoExtendExpiration off, which spares it work. No lock.
import { MemoryStore } from 'hono-sessions'
import { honoSessionsApp } from '../lib/apps.js'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'hono-sessions-memory',
  label: 'hono-sessions + MemoryStore (Hono)',
  baseline: 'hono-bare',
  create: () => honoSessionsApp(new MemoryStore()),
}
