// The example-app contract's routes are server/routes/; the one page is app/app.vue.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

// The stores examples/shared/store.js may choose, each imported only when chosen.
const stores = ['memory', 'sqlite', 'redis', 'postgres', 'mysql', 'cookie']

export default defineNuxtConfig({
  compatibilityDate: '2026-01-01',
  devtools: { enabled: false },
  telemetry: false,
  // The app has no CSS to minify, and cssnano is not installed: Nuxt would warn on every build.
  postcss: { plugins: { cssnano: false } },
  nitro: {
    preset: 'node-server',
    // server/utils/sessions.js awaits the store at the top level; Nitro's default target (es2019) has no top-level await.
    esbuild: { options: { target: 'es2022' } },
    // Left as imports of the installed package (build.js copies it into node_modules), also
    // from examples/shared/store.js, which inside this repository resolves `latchkey` to the
    // repository itself and would inline it: the store's top-level await then waits on a chunk
    // that imports back the waiting one, and Node exits (13, an unsettled top-level await).
    rollupConfig: { external: [/^latchkey(\/|$)/] },
    externals: {
      // Copied into .output/server/node_modules as the trace copies what it follows.
      traceInclude: [
        ...['index', 'adapters/h3/index', ...stores.map((s) => `stores/${s}/index`)].map((file) =>
          fileURLToPath(new URL(`node_modules/latchkey/dist/${file}.js`, import.meta.url)),
        ),
        // SQLiteStore loads better-sqlite3 with require() only when node:sqlite is missing
        // (Node 20), which the trace does not follow.
        createRequire(import.meta.url).resolve('better-sqlite3'),
      ],
    },
  },
})
