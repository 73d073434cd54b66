import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Compiles the package as `npm run build` does, but into a private directory
 * under node_modules/.cache: the test never depends on a stale or concurrently
 * rebuilt dist/, and the output still resolves the package's dependencies.
 */
export async function buildPackage(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = `${root}node_modules/.cache/latchkey-build-${randomBytes(6).toString('hex')}`
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  await promisify(execFile)(
    process.execPath,
    [
      tsc,
      '-p',
      `${root}tsconfig.build.json`,
      '--outDir',
      dir,
      '--declaration',
      'false',
      '--declarationMap',
      'false',
      '--sourceMap',
      'false',
    ],
    { cwd: root },
  )
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}
