/**
 * An express-session store (connect-redis, connect-pg-simple,
 * session-file-store, connect-mongo, ...), typed by the callback methods
 * latchkey calls, so no express-session package is a dependency.
 */
export interface ExpressSessionStoreLike {
  get(sid: string, callback: (error: unknown, session?: unknown) => void): void
  set(sid: string, session: ExpressSessionObject, callback?: (error?: unknown) => void): void
  destroy(sid: string, callback?: (error?: unknown) => void): void
}

/**
 * What express-session hands its store: the session's data beside a `cookie`
 * from which stores compute their expiry (`expires`, else `originalMaxAge`).
 */
export interface ExpressSessionObject {
  cookie: {
    /** Milliseconds the cookie lives. */
    originalMaxAge: number | null
    expires?: Date | null | undefined
  }
}

/**
 * Calls a store method with a callback, as a promise. An `ENOENT` error means
 * a missing session, as express-session reads it (session-file-store
 * reports missing files so).
 */
export function callStore<T>(
  run: (callback: (error: unknown, result?: T) => void) => void,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    try {
      run((error, result) => {
        if (!error || (error as { code?: unknown }).code === 'ENOENT')
          resolve(error ? undefined : result)
        else reject(error)
      })
    } catch (error) {
      reject(error)
    }
  })
}
