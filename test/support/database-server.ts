import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'vitest'

/**
 * A `describe` for suites that need a database server installed here: skipped
 * with `missing` (which says how to enable it) when `available` is false, but
 * failing when `process.env.CI` is set (CI must never skip).
 */
export function describeWhen(
  available: () => boolean,
  needs: string,
  missing: string,
): (name: string, body: () => void) => void {
  return (name, body) => {
    if (available()) {
      describe(name, body)
    } else if (process.env.CI) {
      describe(name, () => {
        it(`needs ${needs}`, () => {
          throw new Error(missing)
        })
      })
    } else {
      console.warn(`Skipping "${name}": ${missing}`)
      describe.skip(`${name} (skipped: ${missing})`, body)
    }
  }
}

/** A fresh directory under the system temp dir, for one server's data and socket. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** A loopback port that was free a moment ago (a server may still lose it: retry on bind errors). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}

/** Resolves when `child` has exited (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })
}

/** A server process whose output is kept, to explain why it did not come up. */
export interface LoggedProcess {
  readonly child: ChildProcess
  /** Everything it wrote so far, stdout and stderr. */
  log(): string
  /** Why it is gone (`name exited (code): log`), or undefined while it runs. */
  exited(): string | undefined
}

export function spawnLogged(
  name: string,
  binary: string,
  args: string[],
  options: SpawnOptions = {},
): LoggedProcess {
  const child = spawn(binary, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const append = (chunk: Buffer) => {
    log += chunk.toString()
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  let exitCode: number | null | undefined
  child.once('exit', (code) => {
    exitCode = code
  })
  return {
    child,
    log: () => log,
    exited: () => (exitCode === undefined ? undefined : `${name} exited (${exitCode}):\n${log}`),
  }
}

/**
 * Calls `connect` every 100 ms until it resolves, for at most 30 s; fails at
 * once with the server's log when the process died meanwhile.
 */
export async function waitReady(
  connect: () => Promise<void>,
  server: Pick<LoggedProcess, 'exited'>,
): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const failure = server.exited()
    if (failure) throw new Error(failure)
    try {
      await connect()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/** A database server owned by a test: its own data directory and port. */
export interface DatabaseServer<Connection> {
  readonly connection: Connection
  /** Pid of the server's main process. */
  readonly pid: number
  /** SIGSTOPs the server: connected clients hang, new ones too. */
  freeze(): Promise<void>
  /** SIGCONTs what `freeze` stopped. */
  thaw(): Promise<void>
  /** Shuts down, then removes the data directory. */
  stop(): Promise<void>
}
