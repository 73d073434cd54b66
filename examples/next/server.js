// latchkey on the Next.js App Router, on the example-app contract: `npm run example -- next`
// (build.js runs `next build` first). The contract's routes are Route Handlers under app/; the
// page at / reads the session in a Server Component and changes it with Server Actions.
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'
import next from 'next'

const dir = fileURLToPath(new URL('.', import.meta.url))
const app = next({ dev: false, dir })
await app.prepare()
const handle = app.getRequestHandler()

const server = createServer((req, res) => handle(req, res))
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () =>
  console.log(`latchkey on Next.js: http://127.0.0.1:${server.address().port}`),
)
