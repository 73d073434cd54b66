import { SessionUsageError } from '../core/errors.js'

/** A database server, as a store URL names it; `address` is its `host:port`. */
export interface ServerLocation {
  kind: 'redis' | 'postgres' | 'mysql'
  url: string
  address: string
}

/** A SQLite file; `address` is its path. */
export interface FileLocation {
  kind: 'sqlite'
  path: string
  address: string
}

/** Where the sessions are, as a store URL names it. */
export type StoreLocation = ServerLocation | FileLocation

/** The environment variable read when `--url` is not given. */
export const URL_VARIABLE = 'LATCHKEY_STORE_URL'

const SERVER_SCHEMES: Record<string, { kind: 'redis' | 'postgres' | 'mysql'; port: number }> = {
  'redis:': { kind: 'redis', port: 6379 },
  'rediss:': { kind: 'redis', port: 6379 },
  'postgres:': { kind: 'postgres', port: 5432 },
  'postgresql:': { kind: 'postgres', port: 5432 },
  'mysql:': { kind: 'mysql', port: 3306 },
  'mariadb:': { kind: 'mysql', port: 3306 },
}

const FORMS =
  'redis://host:6379, rediss://…, postgres://user:password@host:5432/database, mysql://user:password@host:3306/database, mariadb://…, sqlite:./sessions.db or file:./sessions.db'

/**
 * Reads a store URL. The password never reaches a message.
 *
 * @throws {SessionUsageError} for a missing URL, one that does not parse, or an unknown scheme.
 */
export function parseStoreUrl(text: string | undefined): StoreLocation {
  if (text === undefined || text === '')
    throw new SessionUsageError(
      `a store URL is required: pass --url or set ${URL_VARIABLE} (${FORMS})`,
    )
  const sqlite = /^(?:sqlite|file):(?:\/\/)?(.*)$/i.exec(text)
  if (sqlite) {
    const path = sqlite[1] ?? ''
    if (path === '') throw new SessionUsageError(`the SQLite URL ${text} names no file`)
    return { kind: 'sqlite', path, address: path }
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new SessionUsageError(`not a store URL: ${redacted(text)} (expected ${FORMS})`)
  }
  const scheme = SERVER_SCHEMES[url.protocol.toLowerCase()]
  if (scheme === undefined)
    throw new SessionUsageError(`unknown store URL scheme ${url.protocol} (expected ${FORMS})`)
  if (url.hostname === '')
    throw new SessionUsageError(`the store URL ${redacted(text)} names no host`)
  return { kind: scheme.kind, url: text, address: `${url.hostname}:${url.port || scheme.port}` }
}

/** A URL-ish text without what could be a password (`user:secret@`). */
function redacted(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//…@')
}
