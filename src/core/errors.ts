/**
 * Every error latchkey throws is a {@link SessionError} with a stable `code`.
 * Codes never change meaning between versions; match on them, not on messages.
 *
 * @example
 * ```ts
 * try { await req.session.lock() }
 * catch (err) { if (isSessionError(err) && err.code === 'LATCHKEY_LOCK_TIMEOUT') ... }
 * ```
 */
export type SessionErrorCode =
  | 'LATCHKEY_CONFIG'
  | 'LATCHKEY_USAGE'
  | 'LATCHKEY_LOCK_TIMEOUT'
  | 'LATCHKEY_LOCK_LOST'
  | 'LATCHKEY_STORE'
  | 'LATCHKEY_COOKIE_TOO_LARGE'
  | 'LATCHKEY_SERIALIZER'

/** Base class of every latchkey error. */
export class SessionError extends Error {
  readonly code: SessionErrorCode
  /**
   * HTTP status an adapter answers with when this error escapes a handler.
   * Frameworks that honour `err.statusCode` (Fastify, Express, Koa) use it directly.
   */
  readonly statusCode: number

  constructor(code: SessionErrorCode, message: string, statusCode = 500, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
    this.statusCode = statusCode
    const cause = options?.cause
    if (typeof cause === 'object' && cause !== null) wrapping.set(cause, this)
  }

  /**
   * The HTTP answer every adapter sends when this error escapes a handler, as a
   * Web `Response`: `statusCode`, the JSON body
   * `{"error":"Service Unavailable","code":"LATCHKEY_STORE"}` (the status text
   * and the code; never the message, which can name internal hosts) and, for a
   * {@link SessionUnavailableError}, `Retry-After`. Hono's default `onError`
   * sends it as it does an `HTTPException`'s.
   *
   * @example
   * ```ts
   * app.onError((err, c) => (isSessionError(err) ? err.getResponse() : c.text('Oops', 500)))
   * ```
   */
  getResponse(): Response {
    return webResponse(errorAnswer(this))
  }
}

/** A Web `Response` of an answer latchkey made: an error's JSON, or a guard's 401 or redirect. */
export function webResponse(answer: {
  status: number
  headers: Record<string, string>
  body?: string | undefined
}): Response {
  return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers })
}

/** An HTTP answer as Node frameworks write it. */
export interface ErrorAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** What {@link SessionError.getResponse} answers, as plain parts. */
export function errorAnswer(error: SessionError): ErrorAnswer {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
  if (error instanceof SessionUnavailableError) headers['retry-after'] = String(error.retryAfter)
  const message = error.statusCode === 503 ? 'Service Unavailable' : 'Internal Server Error'
  return {
    status: error.statusCode,
    headers,
    body: JSON.stringify({ error: message, code: error.code }),
  }
}

/**
 * An error that means "the session service is briefly unavailable, try again":
 * answered with 503 and a `Retry-After` header.
 */
export class SessionUnavailableError extends SessionError {
  /** Seconds a client should wait before retrying; sent as `Retry-After`. */
  readonly retryAfter: number
  /** Response headers for frameworks that apply `err.headers` (Express, Koa). */
  readonly headers: Readonly<Record<string, string>>

  constructor(code: SessionErrorCode, message: string, retryAfter: number, options?: ErrorOptions) {
    super(code, message, 503, options)
    this.retryAfter = retryAfter
    this.headers = { 'retry-after': String(retryAfter) }
  }
}

/** An option passed to a constructor is invalid. Thrown at construction, never on a request. */
export class SessionConfigError extends SessionError {
  constructor(message: string, options?: ErrorOptions) {
    super('LATCHKEY_CONFIG', message, 500, options)
  }
}

/** The API was used in a way it does not support (e.g. a value that is not JSON). */
export class SessionUsageError extends SessionError {
  constructor(message: string, options?: ErrorOptions) {
    super('LATCHKEY_USAGE', message, 500, options)
  }
}

/** The session's lock could not be acquired within `lock.timeout` seconds. */
export class SessionLockTimeoutError extends SessionUnavailableError {
  constructor(timeoutSeconds: number, options?: ErrorOptions) {
    super(
      'LATCHKEY_LOCK_TIMEOUT',
      `Timed out after ${timeoutSeconds}s waiting for the session lock`,
      1,
      options,
    )
  }
}

/**
 * The lock's lease expired and another holder took it before this holder saved,
 * so the save was refused (fencing) to protect the newer holder's data.
 */
export class SessionLockLostError extends SessionUnavailableError {
  constructor(
    message = 'The session lock lease expired before the save; the save was refused',
    options?: ErrorOptions,
  ) {
    super('LATCHKEY_LOCK_LOST', message, 1, options)
  }
}

/** A store failed or missed its deadline (e.g. Redis down). Answered with 503. */
export class SessionStoreError extends SessionUnavailableError {
  /** The `name` of the store that failed. */
  readonly store: string

  constructor(store: string, message: string, options?: ErrorOptions) {
    super('LATCHKEY_STORE', `[${store}] ${message}`, 1, options)
    this.store = store
  }
}

/** A cookie-held session would not fit the browser's 4096-byte cookie limit. */
export class SessionCookieTooLargeError extends SessionError {
  /** Size in bytes of the `Set-Cookie` value that was refused. */
  readonly size: number

  constructor(size: number, limit: number) {
    super(
      'LATCHKEY_COOKIE_TOO_LARGE',
      `The session cookie would be ${size} bytes, over the ${limit}-byte limit browsers keep; store less in the session or use a server store`,
    )
    this.size = size
  }
}

/**
 * The manager's `serializer` failed: `stringify` threw or gave no well-formed
 * string (thrown at the save, which writes nothing), or a stored record's data
 * could not be parsed (reported to `onError`; the request gets an empty
 * session and the stored record is left as it is).
 */
export class SessionSerializerError extends SessionError {
  constructor(message: string, options?: ErrorOptions) {
    super('LATCHKEY_SERIALIZER', message, 500, options)
  }
}

/** The session error that wraps each cause, for {@link findSessionError}. Weak: no error is kept alive. */
const wrapping = new WeakMap<object, SessionError>()

/**
 * The session error that `error` is or stands for: itself, its `cause`, or,
 * when a framework re-wrapped a session error keeping only that error's own
 * cause (h3's `createError` does), the session error that wrapped it.
 */
export function findSessionError(error: unknown): SessionError | undefined {
  if (error instanceof SessionError) return error
  if (typeof error !== 'object' || error === null) return undefined
  const { cause } = error as { cause?: unknown }
  if (cause instanceof SessionError) return cause
  return typeof cause === 'object' && cause !== null ? wrapping.get(cause) : undefined
}

/** True for every error thrown by latchkey. */
export function isSessionError(error: unknown): error is SessionError {
  return error instanceof SessionError
}

/** The message of anything thrown: an `Error`'s message, else its text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
