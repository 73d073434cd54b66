// The production build of the SvelteKit example: `vite build` with adapter-node, into
// examples/sveltekit/build/ (git-ignored). SvelteKit and adapter-node read their
// configuration and package.json from the working directory, hence the chdir.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const started = performance.now()
process.chdir(fileURLToPath(new URL('.', import.meta.url)))
// The app imports `latchkey` by name, as an installed app does; this package.json
// is not the repository's, so Node's self-reference cannot find it: a link can.
if (!existsSync('node_modules/latchkey')) {
  mkdirSync('node_modules', { recursive: true })
  symlinkSync('../../..', 'node_modules/latchkey', 'dir')
}
await build({ logLevel: 'warn' })
console.log(`examples/sveltekit built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
