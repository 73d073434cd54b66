// latchkey on React Router 7 (framework mode), its production build served on node:http by
// @react-router/node, on the example-app contract: `npm run example -- react-router`
import { createServer } from 'node:http'
import { createRequestListener } from '@react-router/node'

// Importing the build runs app/sessions.server.js, which picks the store and prints it.
const build = await import('./build/server/index.js')

const server = createServer(createRequestListener({ build, mode: process.env.NODE_ENV }))
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`latchkey on React Router: http://127.0.0.1:${server.address().port}`),
)
