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

/** Where a response given to {@link beforeHeaders} keeps its hold. */
const HOLD = Symbol('latchkey.hold')

type Holding = ServerResponse & { [HOLD]?: Hold<unknown> }

type Originals = Record<'writeHead' | 'write' | 'end' | 'flushHeaders', Loose<unknown>>

/**
 * Holds a response's first bytes until async `prepare` has produced the
 * `Set-Cookie` values to send with its headers.
 *
 * Node writes headers synchronously inside `writeHead`, `write`, `end` and
 * `flushHeaders`, and everything Express does (`res.send`, `res.redirect`,
 * `res.sendFile`, `stream.pipe(res)`) goes through those four. The first call
 * starts `prepare(context)`; when it answers at once, the cookies are added and
 * the call goes through. Otherwise that call and the later ones are queued and
 * replayed in order once it has resolved. Queued writes return `false` and
 * `drain` is emitted after the replay, so piped streams pause instead of buffering.
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
export function beforeHeaders<Context>(
  res: ServerResponse,
  context: Context,
  prepare: (context: Context) => readonly string[] | Promise<readonly string[]>,
  fail: (error: unknown) => Answer,
): void {
  ;(res as Holding)[HOLD] = new Hold(res, context, prepare, fail, methodsOf(res)) as Hold<unknown>
  // The methods go on the response itself, never on a prototype that other
  // responses share, wrapping whatever a middleware that ran before may
  // already have captured or replaced.
  res.writeHead = heldWriteHead as ServerResponse['writeHead']
  res.write = heldWrite as ServerResponse['write']
  res.end = heldEnd as ServerResponse['end']
  res.flushHeaders = heldFlushHeaders
}

/**
 * Runs `first` before the `prepare` of the response's {@link beforeHeaders}
 * hold, in that hold: for a middleware mounted after `latchkey()` whose
 * writes must reach the sessions before they are saved
 * (`expressSessionCompat()`). The cookies of both are sent; the hold's `fail`
 * answers for both. Returns false when no `latchkey()` holds the response.
 */
export function beforeHeldHeaders(
  res: ServerResponse,
  first: () => readonly string[] | Promise<readonly string[]>,
): boolean {
  const hold = (res as Holding)[HOLD]
  if (!hold) return false
  hold.prepareFirst(first)
  return true
}

/** The four methods a response has now (own or inherited). */
function methodsOf(target: object): Originals {
  const methods = target as Originals
  return {
    writeHead: methods.writeHead,
    write: methods.write,
    end: methods.end,
    flushHeaders: methods.flushHeaders,
  }
}

function heldWriteHead(this: Holding, ...args: unknown[]): ServerResponse {
  const hold = this[HOLD] as Hold<unknown>
  if (hold.dropped()) return this
  hold.start()
  if (hold.state === 'done') return hold.writeHead.apply(this, mergeHeaders(this, args))
  hold.hold(() => hold.writeHead.apply(this, mergeHeaders(this, args)))
  return this
}

function heldWrite(this: Holding, ...args: unknown[]): boolean {
  const hold = this[HOLD] as Hold<unknown>
  if (hold.dropped()) return discard(args)
  hold.start()
  if (hold.state === 'done') return hold.write.apply(this, args)
  hold.heldWrite = true
  hold.hold(() => hold.write.apply(this, args))
  return false
}

function heldEnd(this: Holding, ...args: unknown[]): ServerResponse {
  const hold = this[HOLD] as Hold<unknown>
  if (hold.dropped()) {
    discard(args)
    return this
  }
  hold.start()
  if (hold.state === 'done') return hold.end.apply(this, args)
  hold.ended = snapshot(this)
  hold.hold(() => hold.end.apply(this, args))
  return this
}

function heldFlushHeaders(this: Holding): void {
  const hold = this[HOLD] as Hold<unknown>
  if (hold.dropped()) return
  hold.start()
  if (hold.state === 'done') hold.flushHeaders.call(this)
  else hold.hold(() => hold.flushHeaders.call(this))
}

/** The state of one held response and the methods it replaced. */
class Hold<Context> {
  state: 'idle' | 'pending' | 'done' | 'failed' = 'idle'
  heldWrite = false
  ended: Snapshot | undefined = undefined
  answeredAgain = false
  pending: Promise<readonly string[]> | undefined = undefined
  queue: Array<() => void> | undefined = undefined
  // Loosely typed: the calls are replayed with whatever arguments the app used.
  readonly writeHead: Loose<ServerResponse>
  readonly write: Loose<boolean>
  readonly end: Loose<ServerResponse>
  readonly flushHeaders: Loose<void>
  readonly res: ServerResponse
  readonly context: Context
  prepare: (context: Context) => readonly string[] | Promise<readonly string[]>
  readonly fail: (error: unknown) => Answer

  constructor(
    res: ServerResponse,
    context: Context,
    prepare: (context: Context) => readonly string[] | Promise<readonly string[]>,
    fail: (error: unknown) => Answer,
    originals: Originals,
  ) {
    this.res = res
    this.context = context
    this.prepare = prepare
    this.fail = fail
    this.writeHead = originals.writeHead as Loose<ServerResponse>
    this.write = originals.write as Loose<boolean>
    this.end = originals.end as Loose<ServerResponse>
    this.flushHeaders = originals.flushHeaders as Loose<void>
  }

  /** Makes `first` run before the `prepare` given so far; their cookies are sent together. */
  prepareFirst(first: () => readonly string[] | Promise<readonly string[]>): void {
    const then = this.prepare
    this.prepare = (context) => {
      const before = first()
      if (Array.isArray(before)) return concat(before, then(context))
      return (before as Promise<readonly string[]>).then((cookies) =>
        concat(cookies, then(context)),
      )
    }
  }

  /** Starts `prepare` at the app's first call; cookies ready at once need no hold. */
  start(): void {
    if (this.state !== 'idle') return
    let prepared: readonly string[] | Promise<readonly string[]>
    try {
      prepared = this.prepare(this.context)
    } catch (error) {
      prepared = Promise.reject(error)
    }
    if (!Array.isArray(prepared)) {
      this.pending = prepared as Promise<readonly string[]>
      return
    }
    this.state = 'done'
    for (const cookie of prepared as readonly string[]) this.res.appendHeader('set-cookie', cookie)
  }

  hold(call: () => void): void {
    if (this.queue) this.queue.push(call)
    else this.queue = [call]
    if (this.state !== 'idle' || !this.pending) return
    this.state = 'pending'
    held.add(this.res)
    this.pending
      .then(
        (cookies) => this.replay(cookies),
        (error: unknown) => {
          this.state = 'failed'
          this.queue = undefined
          if (!this.res.headersSent && !this.res.destroyed) this.answer(this.fail(error))
        },
      )
      // A replayed call that throws (an invalid header, say) would have thrown in the
      // handler; here it can only end the response rather than become an unhandled rejection.
      .catch(() => this.res.destroy())
  }

  /** Whether a call must be dropped: the response failed, or the app already ended it. */
  dropped(): boolean {
    if (this.state === 'failed') return true
    if (this.state === 'done' || !this.ended) return false
    this.answeredAgain = true
    return true
  }

  replay(cookies: readonly string[]): void {
    const res = this.res
    this.state = 'done'
    if (this.ended && this.answeredAgain) restore(res, this.ended)
    for (const cookie of cookies) res.appendHeader('set-cookie', cookie)
    const queue = this.queue
    this.queue = undefined
    if (queue) for (const call of queue) call()
    if (this.heldWrite && !res.writableNeedDrain) res.emit('drain')
  }

  answer({ status, headers, body }: Answer): void {
    const res = this.res
    for (const name of res.getHeaderNames()) res.removeHeader(name)
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
    res.setHeader('content-length', Buffer.byteLength(body))
    res.statusCode = status
    this.state = 'done'
    this.end.call(res, body)
    this.state = 'failed'
  }
}

function concat(
  first: readonly string[],
  then: readonly string[] | Promise<readonly string[]>,
): readonly string[] | Promise<readonly string[]> {
  if (first.length === 0) return then
  if (Array.isArray(then)) return [...first, ...(then as readonly string[])]
  return (then as Promise<readonly string[]>).then((cookies) => [...first, ...cookies])
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
