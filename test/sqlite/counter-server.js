// A small Fastify app on SQLiteStore, run as its own Node process by the
// acceptance tests. It loads latchkey from the build directory the test made
// (LATCHKEY_BUILD), opens SQLITE_PATH, reports its port over IPC, and serves:
//   /inc   locked increment of `n`      /read  unlocked read of `n`
//   /hold  takes the lock, tells the parent, and never lets go (to be SIGKILLed)
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Fastify from 'fastify'

const build = process.env.LATCHKEY_BUILD
const load = (path) => import(pathToFileURL(join(build, path)).href)
const { Sessions } = await load('index.js')
const { SQLiteStore } = await load('stores/sqlite/index.js')
const { latchkey } = await load('adapters/fastify/index.js')

const store = new SQLiteStore({ path: process.env.SQLITE_PATH })
const sessions = new Sessions({
  store,
  warnLock: false,
  lock: { timeout: Number(process.env.LOCK_TIMEOUT ?? 30), lease: Number(process.env.LEASE ?? 1) },
})
const app = Fastify()
await app.register(latchkey(sessions))
app.get('/inc', (req) =>
  req.session.withLock((s) => {
    s.set('n', (s.get('n') ?? 0) + 1)
    return { n: s.get('n') }
  }),
)
app.get('/read', async (req) => ({ n: (await req.session.get('n')) ?? null }))
app.get('/hold', async (req) => {
  await req.session.lock()
  process.send?.({ holding: true })
  await new Promise(() => {})
})
await app.listen({ port: 0, host: '127.0.0.1' })
process.send?.({ port: app.server.address().port })
