/**
 * Emits a warning with a stable `code`: a Node warning (`process.emitWarning`,
 * seen by `process.on('warning')` and `--no-warnings`) where the runtime has
 * one, else `console.warn` with the same code in front (Cloudflare Workers
 * before `nodejs_compat`'s process support).
 */
export function emitWarning(message: string, code: string, type = 'LatchkeyWarning'): void {
  const emit = globalThis.process?.emitWarning
  if (typeof emit === 'function') emit.call(globalThis.process, message, { code, type })
  else console.warn(`[${code}] ${type}: ${message}`)
}
