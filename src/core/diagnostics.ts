import { channel } from 'node:diagnostics_channel'

/**
 * The `node:diagnostics_channel` channels latchkey publishes on, version 1 of
 * the contract in docs/observability.md. A message is built only when the
 * channel has a subscriber, so an app that subscribes to nothing pays one
 * property read per event.
 *
 * Sessions are named by their store key (the SHA-256 of the session id, as
 * stored), never by the id the cookie carries; user ids are the app's own.
 * Durations are milliseconds, from `performance.now()`.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel'
 * import type { LockAcquiredMessage } from 'latchkey'
 *
 * subscribe('latchkey:lock:acquired', (message) => {
 *   const { manager, waitMs } = message as LockAcquiredMessage
 *   if (waitMs > 100) console.log(`${manager} waited ${waitMs.toFixed(1)} ms for a session lock`)
 * })
 * ```
 */
export const DIAGNOSTICS_CHANNELS = {
  /** The lock is busy in this process: this request queues ({@link LockWaitMessage}). */
  lockWait: 'latchkey:lock:wait',
  /** The lock is held, in this process and in the store ({@link LockAcquiredMessage}). */
  lockAcquired: 'latchkey:lock:acquired',
  /** The lock was not had in time: the request gets a 503 ({@link LockTimeoutMessage}). */
  lockTimeout: 'latchkey:lock:timeout',
  /** The lock was given back, after the save ({@link LockReleasedMessage}). */
  lockReleased: 'latchkey:lock:released',
  /** The store refused a save: another holder took the expired lease ({@link LockLostMessage}). */
  lockLost: 'latchkey:lock:lost',
  /** One call to a store, primary or mirror, ended ({@link StoreCommandMessage}). */
  storeCommand: 'latchkey:store:command',
  /** A session was first written ({@link SessionCreatedMessage}). */
  sessionCreated: 'latchkey:session:created',
  /** A session was given a new id; the old record is deleted ({@link SessionRotatedMessage}). */
  sessionRotated: 'latchkey:session:rotated',
  /** A session was deleted ({@link SessionDestroyedMessage}). */
  sessionDestroyed: 'latchkey:session:destroyed',
  /** `login()` took effect in the request's session ({@link LoginMessage}). */
  login: 'latchkey:auth:login',
  /** `logout()` took effect in the request's session ({@link LogoutMessage}). */
  logout: 'latchkey:auth:logout',
  /** `logoutEverywhere()` ended a user's sessions ({@link RevokeMessage}). */
  revoke: 'latchkey:auth:revoke',
} as const

/** Every message names the manager (its request property, e.g. `session`, `authSession`). */
interface ManagerMessage {
  readonly manager: string
}

export interface LockWaitMessage extends ManagerMessage {
  readonly key: string
  /** Requests of this process already waiting for this session before this one. */
  readonly queueLength: number
}

export interface LockAcquiredMessage extends ManagerMessage {
  readonly key: string
  /** From asking to holding: the wait in this process plus the store's lock call. */
  readonly waitMs: number
}

export interface LockTimeoutMessage extends ManagerMessage {
  readonly key: string
  readonly waitMs: number
}

export interface LockReleasedMessage extends ManagerMessage {
  readonly key: string
  /** From holding to given back, the save included. */
  readonly heldMs: number
}

export interface LockLostMessage extends ManagerMessage {
  readonly key: string
}

export interface StoreCommandMessage extends ManagerMessage {
  /** The store's `name`, e.g. `redis`, `postgres`. */
  readonly store: string
  /** `get`, `lock`, `commit`, `set`, `delete`, `touch`, `listByUser`, `deleteByUser`. */
  readonly operation: string
  /** Whether the store is a mirror (else the primary). */
  readonly mirror: boolean
  readonly durationMs: number
  /** Why it failed (the `SessionStoreError`, or the mirror's), when it did. */
  readonly error?: unknown
}

export interface SessionCreatedMessage extends ManagerMessage {
  readonly key: string
}

export interface SessionRotatedMessage extends ManagerMessage {
  readonly from: string
  readonly to: string
}

export interface SessionDestroyedMessage extends ManagerMessage {
  readonly key: string
}

export interface LoginMessage extends ManagerMessage {
  readonly userId: string | undefined
}

export interface LogoutMessage extends ManagerMessage {
  /** Who was logged in, if anyone. */
  readonly userId: string | undefined
}

export interface RevokeMessage extends ManagerMessage {
  readonly userId: string
  /** Sessions ended. */
  readonly ended: number
}

/** The channels themselves, made once. */
export const diagnostics = {
  lockWait: channel(DIAGNOSTICS_CHANNELS.lockWait),
  lockAcquired: channel(DIAGNOSTICS_CHANNELS.lockAcquired),
  lockTimeout: channel(DIAGNOSTICS_CHANNELS.lockTimeout),
  lockReleased: channel(DIAGNOSTICS_CHANNELS.lockReleased),
  lockLost: channel(DIAGNOSTICS_CHANNELS.lockLost),
  storeCommand: channel(DIAGNOSTICS_CHANNELS.storeCommand),
  sessionCreated: channel(DIAGNOSTICS_CHANNELS.sessionCreated),
  sessionRotated: channel(DIAGNOSTICS_CHANNELS.sessionRotated),
  sessionDestroyed: channel(DIAGNOSTICS_CHANNELS.sessionDestroyed),
  login: channel(DIAGNOSTICS_CHANNELS.login),
  logout: channel(DIAGNOSTICS_CHANNELS.logout),
  revoke: channel(DIAGNOSTICS_CHANNELS.revoke),
}
