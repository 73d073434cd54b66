import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSessionId, newSessionId } from '../../src/crypto/ids.js'
import { SQLiteStore } from '../../src/stores/sqlite/index.js'
import { type TempDir, tempDir } from '../sqlite/fixtures.js'
import { ROOT, TSX } from './run-cli.js'

/** util-linux's `script` runs a command on a pseudo-terminal: stderr is then a TTY. */
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0

describe('latchkey sessions sweep on a terminal', () => {
  let dir: TempDir
  const expired = 3500
  beforeAll(async () => {
    dir = await tempDir()
    const store = new SQLiteStore({ path: dir.file, sweepInterval: 0 })
    await store.migrate()
    const now = Date.now()
    for (let i = 0; i < expired; i++) {
      const record = { data: {}, createdAt: now, lastSeenAt: now, expiresAt: now - 1000 }
      await store.set(hashSessionId(newSessionId()), record, 1)
    }
    await store.close()
  })
  afterAll(() => dir?.remove())

  it.skipIf(!hasScript)('shows its progress on stderr and the summary on stdout', () => {
    const command = [process.execPath, '--import', TSX, `${ROOT}src/cli.ts`, 'sessions', 'sweep']
    const run = spawnSync('script', ['-qec', command.join(' '), '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, LATCHKEY_STORE_URL: `sqlite:${dir.file}` },
      encoding: 'utf8',
    })
    expect(run.status).toBe(0)
    // The line is redrawn in place (\r) and ends at the total, against the estimate.
    expect(run.stdout).toContain(`\rswept ${expired} / ~${expired}\r\n`)
    expect(run.stdout).toMatch(
      new RegExp(`swept ${expired} expired entries from the sqlite store in [\\d.]+s`),
    )
  })
})
