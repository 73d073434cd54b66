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
  schema: { type: 'string' },
  user: { type: 'string' },
  session: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Flags = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values']

/** A command: the flags it takes besides the common ones, those it needs, and what it does. */
interface Command {
  flags: ReadonlyArray<keyof Flags>
  required: ReadonlyArray<keyof Flags>
  run(store: SessionStore, flags: Flags, out: Output): Promise<void>
}

const COMMANDS: Record<string, Command> = {
  list: {
    flags: ['user'],
    required: ['user'],
    run: (store, flags, out) => list(store, flags.user ?? '', out),
  },
  revoke: {
    flags: ['user', 'session'],
    required: ['user'],
    run: (store, flags, out) => revoke(store, flags.user ?? '', flags.session, out),
  },
  stats: { flags: [], required: [], run: (store, _flags, out) => stats(store, out) },
  sweep: { flags: [], required: [], run: (store, _flags, out) => sweep(store, out) },
}

/** The flags every command takes: the store's, `--json` and `--help`. */
const COMMON_FLAGS: ReadonlyArray<keyof Flags> = [
  'url',
  'prefix',
  'table',
  'schema',
  'json',
  'help',
]

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

/** The command named, once its flags are checked. */
function checked(name: string, flags: Flags): Command {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (command === undefined) throw new SessionUsageError(`unknown sessions command: ${name}`)
  for (const [flag, value] of Object.entries(flags) as Array<[keyof Flags, unknown]>) {
    if (value !== undefined && !command.flags.includes(flag) && !COMMON_FLAGS.includes(flag))
      throw new SessionUsageError(`${name} takes no --${flag}`)
  }
  for (const flag of command.required) {
    if (flags[flag] === undefined || flags[flag] === '')
      throw new SessionUsageError(`${name} needs --${flag}`)
  }
  return command
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
  const run = checked(command, flags).run
  const location = parseStoreUrl(flags.url ?? env[URL_VARIABLE])
  const backend = await openStore(location, {
    ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
    ...(flags.table === undefined ? {} : { table: flags.table }),
    ...(flags.schema === undefined ? {} : { schema: flags.schema }),
  })
  try {
    await run(backend.store, flags, { ...io, json: flags.json === true })
  } finally {
    await backend.close()
  }
}
