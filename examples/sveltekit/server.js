// latchkey on SvelteKit 2 (adapter-node's build, on node:http), on the example-app contract:
// `npm run example -- sveltekit` builds it (build.js) and starts this. The app itself is src/:
// hooks.server.js puts the sessions on event.locals, src/routes/*/+server.js are the routes.
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'

if (!existsSync(new URL('./build/handler.js', import.meta.url))) {
  console.error('examples/sveltekit is not built: node examples/sveltekit/build.js')
  process.exit(1)
}

let handler
const server = createServer((req, res) => handler(req, res))
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`
  // adapter-node takes the site for https:// unless ORIGIN says otherwise, and its CSRF
  // check of form actions compares that with the browser's Origin; it reads ORIGIN on import.
  process.env.ORIGIN ??= url
  ;({ handler } = await import('./build/handler.js'))
  console.log(`latchkey on SvelteKit: ${url}`)
})
