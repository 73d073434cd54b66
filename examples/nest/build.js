// Compiles the NestJS example with its own tsconfig (Nest's decorators need experimentalDecorators
// and emitDecoratorMetadata), as `nest build` would: run by `npm run example -- nest`.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const project = fileURLToPath(new URL('./tsconfig.json', import.meta.url))
const { status } = spawnSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' })
process.exit(status ?? 1)
