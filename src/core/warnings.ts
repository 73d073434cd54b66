import { fileURLToPath } from 'node:url'

const warnedSites = new Set<string>()
const packageRoot = fileURLToPath(new URL('../', import.meta.url))
const packageRootUrl = new URL('../', import.meta.url).href

function isOwnFrame(frame: string): boolean {
  return frame.includes(packageRoot) || frame.includes(packageRootUrl)
}

/** Where the application called into latchkey: the first stack frame outside this package. */
function callSite(): string {
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder, callSite)
  const frames = holder.stack?.split('\n').slice(1) ?? []
  return frames.find((frame) => !isOwnFrame(frame)) ?? frames.join('\n')
}

/** Emits a Node warning with `code`, once per call site of the application. */
export function warnOncePerCallSite(code: string, message: string): void {
  const site = `${code} ${callSite()}`
  if (warnedSites.has(site)) return
  warnedSites.add(site)
  process.emitWarning(message, { code, type: 'LatchkeyWarning' })
}

export const UNLOCKED_ACCESS = 'LATCHKEY_UNLOCKED_ACCESS'
export const UNLOCKED_ACCESS_MESSAGE =
  'Session data was written without holding its lock; concurrent requests of this session may overwrite each other. ' +
  'Use `await using s = await req.session.lock()` (or `withLock`), or pass `warnLock: false`.'

export const MIXED_ACCESS = 'LATCHKEY_MIXED_ACCESS'
export const MIXED_ACCESS_MESSAGE =
  'The session was modified without its lock and then locked in the same request; the unlocked changes were discarded. ' +
  'Stick to one way of access within a request.'

export const STATELESS_LOCK = 'LATCHKEY_STATELESS_LOCK'
export const STATELESS_LOCK_MESSAGE =
  'lock() on a session held in the cookie only serialises requests within this process: the browser keeps whichever cookie it received last.'

export const SESSION_LOST = 'LATCHKEY_SESSION_LOST'
export const SESSION_LOST_MESSAGE =
  'The session this request read was rotated (login, regenerate) or deleted (logout) by a concurrent request before this one saved; ' +
  'its changes were dropped and no cookie was sent, so the newer cookie stays. See docs/locking.md.'
