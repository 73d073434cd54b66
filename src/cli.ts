#!/usr/bin/env node
/**
 * The `latchkey` command: `npx latchkey keygen` prints a new key for `CookieStore`.
 * @module
 */
import { generateKey } from './crypto/fernet.js'

const USAGE = `Usage: latchkey <command>

Commands:
  keygen   Print a new random key for CookieStore: 32 bytes in url-safe base64,
           the format of Python's Fernet.generate_key().
  help     Print this help.

Keep the key secret (an environment variable or a secret store). To rotate, put
the new key first and keep the old one until its cookies expire:
  new CookieStore({ keys: [newKey, oldKey] })
`

const HELP = new Set(['help', '--help', '-h'])
const [command, ...rest] = process.argv.slice(2)

if (command !== undefined && (HELP.has(command) || rest.some((arg) => HELP.has(arg)))) {
  process.stdout.write(USAGE)
} else if (command === 'keygen' && rest.length === 0) {
  process.stdout.write(`${generateKey()}\n`)
} else {
  const problem =
    command === undefined
      ? 'a command is required'
      : `unknown arguments: ${[command, ...rest].join(' ')}`
  process.stderr.write(`latchkey: ${problem}\n\n${USAGE}`)
  process.exitCode = 2
}
