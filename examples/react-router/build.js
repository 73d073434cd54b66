// The example's production build: `react-router build` into examples/react-router/build/ (git-ignored).
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
// The package's `bin` (what `npx react-router` runs), found without a shell.
const manifest = createRequire(import.meta.url).resolve('@react-router/dev/package.json')
const cli = join(dirname(manifest), 'bin.js')
const { status } = spawnSync(process.execPath, [cli, 'build'], { cwd: here, stdio: 'inherit' })
process.exit(status ?? 1)
