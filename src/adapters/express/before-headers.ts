import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http'

type Callback = (error?: Error | null) => void

/** A complete response written instead of the app's when `prepare` fails. */
export interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

/**
 * Runs async `prepare` before a response's headers are written.
 *
 * Node writes headers synchronously inside `writeHead`, `write`, `end` and
 * `flushHeaders`, and everything Express does (`res.send`, `res.redirect`,
 * `res.sendFile`, `stream.pipe(res)`) goes through those four. The first call
 * starts `prepare`; that call and every later one are queued and replayed in
 * order once it has resolved. Queued writes return `false` and `drain` is
 * emitted after the replay, so piped streams pause instead of buffering.
 *
 * When `prepare` rejects, the queue is dropped, the response is replaced by
 * what `fail` returns, and later writes from the app are discarded (a piped
 * stream is unpiped when the response finishes).
 */
export function beforeHeaders(
  res: ServerResponse,
  prepare: () => Promise<void>,
  fail: (error: unknown) => Answer,
): void {
  // Loosely typed: the calls are replayed with whatever arguments the app used.
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse
  const write = res.write as (...args: unknown[]) => boolean
  const end = res.end as (...args: unknown[]) => ServerResponse
  const flushHeaders = res.flushHeaders
  let state: 'idle' | 'pending' | 'done' | 'failed' = 'idle'
  let heldWrite = false
  const queue: Array<() => void> = []

  const replay = (): void => {
    state = 'done'
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

  const hold = (call: () => void): void => {
    queue.push(call)
    if (state !== 'idle') return
    state = 'pending'
    prepare()
      .then(replay, (error: unknown) => {
        state = 'failed'
        queue.length = 0
        if (!res.headersSent && !res.destroyed) answer(fail(error))
      })
      // A replayed call that throws (an invalid header, say) would have thrown in the
      // handler; here it can only end the response rather than become an unhandled rejection.
      .catch(() => res.destroy())
  }

  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (state === 'failed') return this
    if (state !== 'done') {
      hold(() => writeHead.apply(this, mergeHeaders(this, args)))
      return this
    }
    return writeHead.apply(this, mergeHeaders(this, args))
  } as ServerResponse['writeHead']

  res.write = function (this: ServerResponse, ...args: unknown[]) {
    if (state === 'failed') return discard(args)
    if (state !== 'done') {
      heldWrite = true
      hold(() => write.apply(this, args))
      return false
    }
    return write.apply(this, args)
  } as ServerResponse['write']

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (state === 'failed') {
      discard(args)
      return this
    }
    if (state !== 'done') {
      hold(() => end.apply(this, args))
      return this
    }
    return end.apply(this, args)
  } as ServerResponse['end']

  res.flushHeaders = function (this: ServerResponse) {
    if (state === 'failed') return
    if (state !== 'done') hold(() => flushHeaders.call(this))
    else flushHeaders.call(this)
  }
}

/** Calls the callback of a write that is dropped, as Node would once it was flushed. */
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
function mergeHeaders(res: ServerResponse, args: unknown[]): [number, string?] {
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
