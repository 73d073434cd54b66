import { emitWarning } from './emit-warning.js'

const warnedSites = new Set<string>()
const packageRoots = ownRoots()

/**
 * This package's folder as stack frames name it: its URL (ES modules) and its
 * path (source maps, tools). None where modules have no URL (a bundle in
 * workerd): then every frame counts as the application's, and a warning is
 * given once per distinct stack instead of once per call site.
 */
function ownRoots(): string[] {
  const url: unknown = import.meta.url
  if (typeof url !== 'string') return []
  const root = new URL('../', url)
  const nodeUrl = globalThis.process?.getBuiltinModule?.('node:url')
  return root.protocol === 'file:' && nodeUrl
    ? [root.href, nodeUrl.fileURLToPath(root)]
    : [root.href]
}

function isOwnFrame(frame: string): boolean {
  return packageRoots.some((root) => frame.includes(root))
}

/** Where the application called into latchkey: the first stack frame outside this package. */
function callSite(): string {
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder, callSite)
  const frames = holder.stack?.split('\n').slice(1) ?? []
  return frames.find((frame) => !isOwnFrame(frame)) ?? frames.join('\n')
}

/** Emits a warning with `code` (a Node warning where there is one), once per call site of the application. */
export function warnOncePerCallSite(code: string, message: string): void {
  const site = `${code} ${callSite()}`
  if (warnedSites.has(site)) return
  warnedSites.add(site)
  emitWarning(message, code)
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
