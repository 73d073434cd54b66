import type {
  OutgoingHttpHeader,
  OutgoingHttpHeaders,
  OutgoingMessage,
  ServerResponse,
} from 'node:http'

type Callback = (error?: Error | null) => void
type Loose<R> = (...args: unknown[]) => R

/** A complete response written instead of the app's when `prepare` fails. */
export interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

/** The status line and headers of a response when the app ended it. */
interface Snapshot {
  statusCode: number
  statusMessage: string
  headers: Array<[string, number | string | string[]]>
}

const held = new WeakSet<ServerResponse>()

/**
 * Whether the app has started the response: its headers were sent, or its
 * first call is held by {@link beforeHeaders} (when `headersSent` is still false).
 */
export function hasResponded(res: ServerResponse): boolean {
  return res.headersSent || held.has(res)
}

/**
 * Holds a response's first bytes until async `prepare` has produced the
 * `Set-Cookie` values to send with its headers.
 *
 * Node writes headers synchronously inside `writeHead`, `write`, `end` and
 * `flushHeaders`, and everything Express does (`res.send`, `res.redirect`,
 * `res.sendFile`, `stream.pipe(res)`) goes through those four. The first call
 * starts `prepare`; that call and the later ones are queued and replayed in
 * order once it has resolved. Queued writes return `false` and `drain` is
 * emitted after the replay, so piped streams pause instead of buffering.
 *
 * Once the app has ended the response, further calls are dropped, and if any
 * came (an error handler answering again because `headersSent` was still
 * false), the status and headers are put back as they were at `end`: the
 * client gets the response the app ended, as it would have without the hold.
 *
 * When `prepare` rejects, the queue is dropped, the response is replaced by
 * what `fail` returns, and later writes from the app are discarded (a piped
 * stream is unpiped when the response finishes).
 */
export function beforeHeaders(
  res: ServerResponse,
  prepare: () => readonly string[] | Promise<readonly string[]>,
  fail: (error: unknown) => Answer,
): void {
  // Loosely typed: the calls are replayed with whatever arguments the app used.
  const writeHead = res.writeHead as Loose<ServerResponse>
  const write = res.write as Loose<boolean>
  const end = res.end as Loose<ServerResponse>
  const flushHeaders = res.flushHeaders
  let state: 'idle' | 'pending' | 'done' | 'failed' = 'idle'
  let heldWrite = false
  let ended: Snapshot | undefined
  let answeredAgain = false
  const queue: Array<() => void> = []

  const replay = (cookies: readonly string[]): void => {
    state = 'done'
    if (ended && answeredAgain) restore(res, ended)
    for (const cookie of cookies) res.appendHeader('set-cookie', cookie)
    for (const call of queue.splice(0)) call()
    if (heldWrite && !res.writableNeedDrain) res.emit('drain')
  }

  const answer = ({ status, headers, body }: Answer): void => {
    for (const name of res.getHeaderNames()) res.removeHeader(name)
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
    res.setHeader('content-length', Buffer.byteLength(body))
    res.statusCode = status
    state = 'done'
    end.call(res, body)
    state = 'failed'
  }

  let pending: Promise<readonly string[]> | undefined
  /** Starts `prepare` at the app's first call; cookies ready at once need no hold. */
  const start = (): void => {
    if (state !== 'idle') return
    let prepared: readonly string[] | Promise<readonly string[]>
    try {
      prepared = prepare()
    } catch (error) {
      prepared = Promise.reject(error)
    }
    if (!Array.isArray(prepared)) {
      pending = prepared as Promise<readonly string[]>
      return
    }
    state = 'done'
    for (const cookie of prepared as readonly string[]) res.appendHeader('set-cookie', cookie)
  }
  const hold = (call: () => void): void => {
    queue.push(call)
    if (state !== 'idle' || !pending) return
    state = 'pending'
    held.add(res)
    pending
      .then(replay, (error: unknown) => {
        state = 'failed'
        queue.length = 0
        if (!res.headersSent && !res.destroyed) answer(fail(error))
      })
      // A replayed call that throws (an invalid header, say) would have thrown in the
      // handler; here it can only end the response rather than become an unhandled rejection.
      .catch(() => res.destroy())
  }

  /** Whether a call must be dropped: the response failed, or the app already ended it. */
  const dropped = (): boolean => {
    if (state === 'failed') return true
    if (state === 'done' || !ended) return false
    answeredAgain = true
    return true
  }

  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (dropped()) return this
    start()
    if (state === 'done') return writeHead.apply(this, mergeHeaders(this, args))
    hold(() => writeHead.apply(this, mergeHeaders(this, args)))
    return this
  } as ServerResponse['writeHead']

  res.write = function (this: ServerResponse, ...args: unknown[]) {
    if (dropped()) return discard(args)
    start()
    if (state === 'done') return write.apply(this, args)
    heldWrite = true
    hold(() => write.apply(this, args))
    return false
  } as ServerResponse['write']

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (dropped()) {
      discard(args)
      return this
    }
    start()
    if (state === 'done') return end.apply(this, args)
    ended = snapshot(this)
    hold(() => end.apply(this, args))
    return this
  } as ServerResponse['end']

  res.flushHeaders = function (this: ServerResponse) {
    if (dropped()) return
    start()
    if (state === 'done') flushHeaders.call(this)
    else hold(() => flushHeaders.call(this))
  }
}

function snapshot(res: ServerResponse): Snapshot {
  const headers: Snapshot['headers'] = []
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value !== undefined) headers.push([name, Array.isArray(value) ? [...value] : value])
  }
  return { statusCode: res.statusCode, statusMessage: res.statusMessage, headers }
}

function restore(res: ServerResponse, { statusCode, statusMessage, headers }: Snapshot): void {
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  for (const [name, value] of headers) res.setHeader(name, value)
  res.statusCode = statusCode
  res.statusMessage = statusMessage
}

/** Calls the callback of a dropped write, as Node would once it was flushed. */
function discard(args: unknown[]): boolean {
  const callback = args.findLast((arg) => typeof arg === 'function') as Callback | undefined
  if (callback) process.nextTick(callback)
  return true
}

/**
 * `writeHead(status, [reason], headers)` would replace headers set earlier
 * with `setHeader`, Set-Cookie included: apply the headers first, appending
 * Set-Cookie, so the cookies of the app and of the sessions are all sent.
 */
function mergeHeaders(res: OutgoingMessage, args: unknown[]): [number, string?] {
  const [status, second, third] = args as [number, unknown, unknown]
  const reason = typeof second === 'string' ? second : undefined
  const headers = typeof second === 'string' ? third : second
  for (const [name, value] of headerPairs(headers)) {
    if (name.toLowerCase() === 'set-cookie') res.appendHeader(name, value as string | string[])
    else res.setHeader(name, value)
  }
  return reason === undefined ? [status] : [status, reason]
}

function headerPairs(headers: unknown): Array<[string, OutgoingHttpHeader]> {
  if (!headers) return []
  if (!Array.isArray(headers)) {
    return Object.entries(headers as OutgoingHttpHeaders).filter(
      (pair): pair is [string, OutgoingHttpHeader] => pair[1] !== undefined,
    )
  }
  if (headers.length > 0 && Array.isArray(headers[0])) return headers as Array<[string, string]>
  const pairs: Array<[string, string]> = []
  for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]])
  return pairs
}
