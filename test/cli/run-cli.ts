import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url))

/** What one run of the CLI did. */
export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  /** Wall time of the whole process, in milliseconds. */
  ms: number
}

/**
 * Runs `latchkey <args>` as a child process, from the TypeScript sources
 * (tsx's loader), as `npx latchkey` runs the built bin.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; entry?: string; cwd?: string } = {},
): Promise<CliRun> {
  const started = Date.now()
  const { LATCHKEY_STORE_URL: _inherited, ...env } = process.env
  const child = spawn(
    process.execPath,
    ['--import', TSX, options.entry ?? `${ROOT}src/cli.ts`, ...args],
    {
      cwd: options.cwd ?? ROOT,
      env: { ...env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }))
  })
}
