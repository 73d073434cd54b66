import { messageOf, SessionSerializerError } from './errors.js'
import { withData } from './record.js'
import type { SessionData, SessionRecord, StoredRecord } from './store.js'

/**
 * Turns session data into a string and back: sanic-cookies' `encoder` and
 * `decoder`. `parse(stringify(data))` must give the data back.
 *
 * @example
 * ```ts
 * import superjson from 'superjson'
 * new Sessions({ store, serializer: superjson }) // Dates, Maps, Sets, BigInts
 * ```
 */
export interface Serializer {
  stringify(data: SessionData): string
  parse(text: string): SessionData
}

/** Reports a stored record whose data could not be read (the manager's `onError`). */
type Report = (error: SessionSerializerError, store: string) => void

/**
 * How a manager's records go to its stores and come back. Records in the
 * manager always hold their data as objects; stores hold what `encode` gives.
 */
export interface RecordCodec {
  /** Whether session values are checked to be JSON when set (no custom serializer). */
  readonly json: boolean
  /** The record as stores keep it. Throws `SessionSerializerError`. */
  encode(record: SessionRecord): StoredRecord
  /**
   * The record as the manager works with it, or `undefined` (no session: the
   * request starts empty) when its data cannot be read, which is reported.
   */
  decode(record: StoredRecord | undefined, store: string): SessionRecord | undefined
}

/** The default: data stays a JSON object, which stores keep structured (PostgreSQL `jsonb`). */
export function jsonRecords(report: Report): RecordCodec {
  return {
    json: true,
    encode: (record) => record,
    decode(record, store) {
      if (record === undefined || typeof record.data !== 'string') return record as SessionRecord
      report(
        new SessionSerializerError(
          'a stored session holds data made by a custom serializer, and this manager has none; configure the same serializer to read it',
        ),
        store,
      )
      return undefined
    },
  }
}

/** A custom serializer: data is stored as the string `stringify` makes. */
export function serializedRecords(serializer: Serializer, report: Report): RecordCodec {
  return {
    json: false,
    encode(record) {
      let text: unknown
      try {
        text = serializer.stringify(record.data)
      } catch (error) {
        throw new SessionSerializerError(`serializer.stringify failed: ${messageOf(error)}`, {
          cause: error,
        })
      }
      // A lone surrogate has no UTF-8 form: PostgreSQL would refuse it, other stores mangle it.
      if (typeof text !== 'string' || !text.isWellFormed())
        throw new SessionSerializerError(
          `serializer.stringify must return a well-formed string, got ${typeof text === 'string' ? 'one with a lone surrogate' : typeof text}`,
        )
      return withData(record, text)
    },
    decode(record, store) {
      // Data stored as JSON, before the serializer was configured, is read as it is.
      if (record === undefined || typeof record.data !== 'string') return record as SessionRecord
      let data: unknown
      try {
        data = serializer.parse(record.data)
      } catch (error) {
        report(
          new SessionSerializerError(`serializer.parse failed: ${messageOf(error)}`, {
            cause: error,
          }),
          store,
        )
        return undefined
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        report(
          new SessionSerializerError(
            `serializer.parse must return an object, got ${Array.isArray(data) ? 'an array' : String(data)}`,
          ),
          store,
        )
        return undefined
      }
      return withData(record, data as SessionData) as SessionRecord
    },
  }
}
