import type { SessionsObjectRpc } from './protocol.js'

/**
 * The Durable Object namespace binding of `LatchkeySessionsObject`
 * (`env.SESSIONS`), typed by what the store calls: Workers' own
 * `DurableObjectNamespace` fits, and so does Miniflare's.
 */
export interface SessionsNamespace {
  idFromName(name: string): unknown
  // Method syntax: Workers' `get(id: DurableObjectId)` is accepted for it.
  get(id: unknown): SessionsObjectRpc
}
