/**
 * The Durable Object store, for Cloudflare Workers:
 * `import { DurableObjectStore, LatchkeySessionsObject } from 'latchkey/stores/durable-object'`.
 * Loads where `cloudflare:workers` exists (workerd, wrangler, Miniflare).
 * @module
 */
export { DurableObjectStore, type DurableObjectStoreOptions } from './durable-object-store.js'
export type { SessionsNamespace } from './namespace.js'
export type {
  CommitOutcome,
  IndexEntry,
  LockAttempt,
  RowChange,
  SessionRow,
  SessionsObjectRpc,
} from './protocol.js'
export { LatchkeySessionsObject, type LatchkeySessionsObjectClass } from './sessions-object.js'
