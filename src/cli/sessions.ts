import { parseArgs } from 'node:util'
import { SessionUsageError } from '../core/errors.js'
import type { SessionStore } from '../core/store.js'
import { list } from './commands/list.js'
import { revoke } from './commands/revoke.js'
import { stats } from './commands/stats.js'
import { sweep } from './commands/sweep.js'
import { openStore } from './open-store.js'
import type { Output } from './output.js'
import { parseStoreUrl, URL_VARIABLE } from './store-url.js'
import { SESSIONS_USAGE } from './usage.js'

const OPTIONS = {
  url: { type: 'string' },
  prefix: { type: 'string' },
  table: { type: 'string' },
  user: { type: 'string' },
  session: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Flags = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values']

/** The flags each command takes besides the store's (`--url`, `--prefix`, `--table`, `--json`). */
const COMMANDS: Record<
  string,
  { flags: ReadonlyArray<keyof Flags>; required: ReadonlyArray<keyof Flags> }
> = {
  list: { flags: ['user'], required: ['user'] },
  revoke: { flags: ['user', 'session'], required: ['user'] },
  stats: { flags: [], required: [] },
  sweep: { flags: [], required: [] },
}

const COMMON_FLAGS: ReadonlyArray<keyof Flags> = ['url', 'prefix', 'table', 'json', 'help']

function parsed(args: string[]): { command: string | undefined; flags: Flags } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    })
    if (positionals.length > 1)
      throw new SessionUsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`)
    return { command: positionals[0], flags: values }
  } catch (error) {
    if (error instanceof SessionUsageError) throw error
    // parseArgs's own errors (unknown flag, missing value) are usage errors.
    throw new SessionUsageError((error as Error).message)
  }
}

function checked(command: string, flags: Flags): void {
  const spec = COMMANDS[command]
  if (spec === undefined) throw new SessionUsageError(`unknown sessions command: ${command}`)
  for (const [flag, value] of Object.entries(flags) as Array<[keyof Flags, unknown]>) {
    if (value !== undefined && !spec.flags.includes(flag) && !COMMON_FLAGS.includes(flag))
      throw new SessionUsageError(`${command} takes no --${flag}`)
  }
  for (const flag of spec.required) {
    if (flags[flag] === undefined || flags[flag] === '')
      throw new SessionUsageError(`${command} needs --${flag}`)
  }
}

function run(command: string, store: SessionStore, flags: Flags, out: Output): Promise<void> {
  const user = flags.user ?? ''
  switch (command) {
    case 'list':
      return list(store, user, out)
    case 'revoke':
      return revoke(store, user, flags.session, out)
    case 'stats':
      return stats(store, out)
    default:
      return sweep(store, out)
  }
}

/**
 * `latchkey sessions <command>`: parses the arguments, connects to the store,
 * runs the command and closes the connection.
 *
 * @throws {SessionUsageError} for arguments it cannot run; the store's errors as they come.
 */
export async function sessions(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: Omit<Output, 'json'>,
): Promise<void> {
  const { command, flags } = parsed(args)
  if (flags.help) {
    io.stdout(SESSIONS_USAGE)
    return
  }
  if (command === undefined)
    throw new SessionUsageError('a sessions command is required: list, revoke, stats or sweep')
  checked(command, flags)
  const location = parseStoreUrl(flags.url ?? env[URL_VARIABLE])
  const backend = await openStore(location, {
    ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
    ...(flags.table === undefined ? {} : { table: flags.table }),
  })
  try {
    await run(command, backend.store, flags, { ...io, json: flags.json === true })
  } finally {
    await backend.close()
  }
}
