#!/usr/bin/env node
/**
 * The `latchkey` command: `npx latchkey keygen` prints a new key for
 * `CookieStore`; `npx latchkey sessions …` lists, revokes, counts and sweeps
 * the sessions of a Redis, PostgreSQL, MySQL/MariaDB or SQLite store.
 * @module
 */
import { EXIT_OK, EXIT_USAGE, exitCodeOf } from './cli/exit-codes.js'
import { sessions } from './cli/sessions.js'
import { SESSIONS_USAGE, USAGE } from './cli/usage.js'
import { messageOf } from './core/errors.js'
import { generateKey } from './crypto/fernet.js'

const HELP = new Set(['help', '--help', '-h'])
const [command, ...rest] = process.argv.slice(2)
const stdout = (text: string) => process.stdout.write(text)
const stderr = (text: string) => process.stderr.write(text)

/**
 * Exits once stdout and stderr are written: a database client's timers (a
 * connect timeout ioredis keeps after a refused connection) would otherwise
 * hold the finished command for seconds.
 */
function exitWhenWritten(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)))
}

if (command === 'sessions') {
  try {
    await sessions(rest, process.env, {
      stdout,
      stderr,
      interactive: process.stderr.isTTY === true,
    })
    exitWhenWritten(EXIT_OK)
  } catch (error) {
    const code = exitCodeOf(error)
    stderr(`latchkey: ${messageOf(error)}\n${code === EXIT_USAGE ? `\n${SESSIONS_USAGE}` : ''}`)
    exitWhenWritten(code)
  }
} else if (command !== undefined && (HELP.has(command) || rest.some((arg) => HELP.has(arg)))) {
  stdout(USAGE)
} else if (command === 'keygen' && rest.length === 0) {
  stdout(`${generateKey()}\n`)
} else {
  const problem =
    command === undefined
      ? 'a command is required'
      : `unknown arguments: ${[command, ...rest].join(' ')}`
  stderr(`latchkey: ${problem}\n\n${USAGE}`)
  process.exitCode = EXIT_USAGE
}
