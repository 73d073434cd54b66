import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A fresh SQLite file path in its own temporary directory, removed when the
 * server process exits (the runner stops servers with process.exit, which
 * runs no asynchronous cleanup).
 *
 * @param {string} name
 * @returns {string}
 */
export function tempDatabase(name) {
  const dir = mkdtempSync(join(tmpdir(), `latchkey-bench-${name}-`))
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'sessions.db')
}
