import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { messageOf } from '../core/errors.js'
import { MissingClientError } from './exit-codes.js'

function isNotFound(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    messageOf(error).includes(`'${name}`)
  )
}

/**
 * Imports `name` from latchkey's own place in node_modules, else from the
 * project in the working directory (an `npx latchkey` run from a temporary
 * install); `undefined` when neither has it.
 */
async function importFromProject(name: string): Promise<unknown> {
  try {
    return await import(name)
  } catch (error) {
    if (!isNotFound(error, name)) throw error
  }
  try {
    const path = createRequire(join(process.cwd(), 'package.json')).resolve(name)
    return await import(pathToFileURL(path).href)
  } catch (error) {
    if (!isNotFound(error, name)) throw error
    return undefined
  }
}

/**
 * The first of `packages` that is installed, loaded with a dynamic `import()`:
 * the CLI uses the database client the project already has and depends on none.
 *
 * @throws {MissingClientError} when none is installed, naming what to install.
 */
export async function loadClient(
  packages: readonly string[],
  forWhat: string,
): Promise<{ name: string; module: unknown }> {
  for (const name of packages) {
    const module = await importFromProject(name)
    if (module !== undefined) return { name, module }
  }
  throw new MissingClientError(
    `${forWhat} needs one of these packages: ${packages.join(', ')}; install one in your project, e.g. npm install ${packages[0]}`,
  )
}
