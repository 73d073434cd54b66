/**
 * Augment this interface to type the logged-in user across every adapter.
 *
 * @example
 * ```ts
 * declare module 'latchkey' {
 *   interface RegisterAuth {
 *     user: { id: string; name: string }
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface RegisterAuth {}

/** The user type registered through {@link RegisterAuth} (`unknown` when none is). */
export type RegisteredUser = RegisterAuth extends { user: infer U } ? U : unknown
