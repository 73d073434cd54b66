// The production build of the Nuxt example: `nuxi build` (Nitro's node-server preset) into
// examples/nuxt/.output/ (git-ignored), run by `npm run example -- nuxt`.
import { spawnSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const started = performance.now()
const here = fileURLToPath(new URL('.', import.meta.url))
// The app imports `latchkey` as an installed app does, from node_modules: a copy of the
// built package there (as `npm install --install-links` makes) is what Nitro's trace copies
// into .output/server/node_modules (it copies nothing from outside a node_modules folder).
const installed = join(here, 'node_modules/latchkey')
rmSync(installed, { recursive: true, force: true })
cpSync(new URL('../../package.json', import.meta.url), join(installed, 'package.json'))
cpSync(new URL('../../dist', import.meta.url), join(installed, 'dist'), { recursive: true })

// The package's `bin` (what `npx nuxi` runs), found without a shell.
const manifest = createRequire(import.meta.url).resolve('nuxt/package.json')
const nuxi = join(dirname(manifest), 'bin/nuxt.mjs')
const { status } = spawnSync(process.execPath, [nuxi, 'build', here], {
  stdio: 'inherit',
  env: { ...process.env, NUXT_TELEMETRY_DISABLED: '1' },
})
if (status === 0)
  console.log(`examples/nuxt built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
process.exit(status ?? 1)
