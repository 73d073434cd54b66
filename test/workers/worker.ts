/**
 * The worker the workerd tests run: the runtime tests' app (test/runtimes/web-app.ts),
 * bundled by esbuild from the sources and loaded into workerd by Miniflare.
 */
import { MemoryStore } from '../../src/stores/memory/index.js'
import { webApp } from '../runtimes/web-app.js'

const handler = webApp(new MemoryStore())

export default { fetch: handler }
