import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export { newKey, recordOf } from '../sql/fixtures.js'

/** A directory for database files, removed with all it holds by `remove()`. */
export interface TempDir {
  readonly dir: string
  /** `sessions.db` in `dir`. */
  readonly file: string
  remove(): Promise<void>
}

/** A fresh {@link TempDir}. */
export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-sqlite-'))
  return {
    dir,
    file: join(dir, 'sessions.db'),
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}
