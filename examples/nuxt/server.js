// latchkey on Nuxt 4 (Nitro 2's node-server build, on node:http), on the example-app contract:
// `npm run example -- nuxt` builds it (build.js) and starts this. The app itself is server/:
// plugins/latchkey.js puts the sessions on event.context, routes/ are the contract's routes,
// and app/app.vue is a page rendered with the session's count.
import { existsSync } from 'node:fs'

const entry = new URL('./.output/server/index.mjs', import.meta.url)
if (!existsSync(entry)) {
  console.error('examples/nuxt is not built: node examples/nuxt/build.js')
  process.exit(1)
}
// The built server listens where NITRO_HOST and NITRO_PORT say (PORT=0: a free port) and
// prints `Listening on http://127.0.0.1:<port>` itself once it does.
process.env.NITRO_HOST = '127.0.0.1'
process.env.NITRO_PORT = process.env.PORT ?? '3000'
await import(entry.href)
