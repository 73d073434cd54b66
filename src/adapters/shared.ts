import { SessionConfigError, SessionError, SessionUnavailableError } from '../core/errors.js'
import type { Sessions } from '../core/manager.js'

/** A manager as adapters see it, whatever its data type. */
// biome-ignore lint/suspicious/noExplicitAny: adapters accept managers of any data type
export type AnySessions = Sessions<any>

/**
 * Checks the managers registered together: at least one, and no two sharing a
 * request property or a cookie name (they would overwrite each other).
 */
export function checkManagers(managers: readonly AnySessions[]): void {
  if (managers.length === 0)
    throw new SessionConfigError('latchkey() needs at least one Sessions or AuthSessions manager')
  const names = new Set<string>()
  const cookies = new Set<string>()
  for (const manager of managers) {
    if (!manager || typeof manager.open !== 'function') {
      throw new SessionConfigError('latchkey() takes Sessions or AuthSessions managers')
    }
    if (names.has(manager.name))
      throw new SessionConfigError(
        `two managers use the request property "${manager.name}"; give one another \`name\``,
      )
    const cookie = manager.options.cookie.name
    if (cookies.has(cookie))
      throw new SessionConfigError(
        `two managers use the cookie "${cookie}"; give one another \`cookie.name\``,
      )
    names.add(manager.name)
    cookies.add(cookie)
  }
}

/** The HTTP answer for an error that escaped session code, when it is ours. */
export function errorResponse(
  error: unknown,
): { status: number; headers: Record<string, string>; body: string } | undefined {
  if (!(error instanceof SessionError)) return undefined
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (error instanceof SessionUnavailableError) headers['retry-after'] = String(error.retryAfter)
  const message = error.statusCode === 503 ? 'Service Unavailable' : 'Internal Server Error'
  return {
    status: error.statusCode,
    headers,
    body: JSON.stringify({ error: message, code: error.code }),
  }
}
