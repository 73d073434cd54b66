import { SessionUsageError } from './errors.js'

/** The data key that holds a session's pending flash messages. */
export const FLASH_KEY = 'latchkey.flash'

/** Longest flash message accepted, in characters: a notice, not a document. */
const MAX_MESSAGE_LENGTH = 2048
/** Most messages a session keeps waiting; older ones give way to newer ones. */
const MAX_PENDING = 20

/** A message left by {@link Session.flash} for a later request. */
export interface FlashMessage<Type extends string = string> {
  /** Its kind, as the app names them: `'success'`, `'error'`, ... */
  type: Type
  message: string
}

/** The checked message to store; a coded error for what is not a short text. */
export function flashEntry(type: unknown, message: unknown): FlashMessage {
  if (typeof type !== 'string' || type.length === 0 || type.length > 64)
    throw new SessionUsageError('flash(type, message): type must be a string of 1 to 64 characters')
  if (typeof message !== 'string' || message.length > MAX_MESSAGE_LENGTH)
    throw new SessionUsageError(
      `flash(type, message): message must be a string of at most ${MAX_MESSAGE_LENGTH} characters`,
    )
  return { type, message }
}

/** The pending messages in a stored value; anything else (an old or foreign value) is none. */
export function pendingFlashes(value: unknown): FlashMessage[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (entry): entry is FlashMessage =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof entry.type === 'string' &&
      typeof entry.message === 'string',
  )
}

/** `pending` with `entry` added, the oldest dropped beyond {@link MAX_PENDING}. */
export function withFlash(pending: FlashMessage[], entry: FlashMessage): FlashMessage[] {
  return [...pending, entry].slice(-MAX_PENDING)
}
