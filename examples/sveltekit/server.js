// latchkey on SvelteKit 2 (adapter-node's build, on node:http), on the example-app contract:
// `npm run example -- sveltekit` builds it (build.js) and starts this. The app itself is src/:
// hooks.server.js puts the sessions on event.locals, src/routes/*/+server.js are the routes.
import { createServer } from 'node:http'

let handler
try {
  ;({ handler } = await import('./build/handler.js'))
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error
  console.error(
    'examples/sveltekit is not built: npm run example -- sveltekit (or node examples/sveltekit/build.js)',
  )
  process.exit(1)
}

const server = createServer(handler)
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`latchkey on SvelteKit: http://127.0.0.1:${server.address().port}`),
)
