import type { SessionData } from './store.js'

/**
 * Augment this interface to type the data of a request property across every
 * adapter.
 *
 * @example
 * ```ts
 * declare module 'latchkey' {
 *   interface Register {
 *     session: { cart: string[]; visits: number }
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface Register {}

/** The data type registered for request property `K` (plain `SessionData` when none is). */
export type RegisteredData<K extends string> =
  Register extends Record<K, infer D extends SessionData> ? D : SessionData
