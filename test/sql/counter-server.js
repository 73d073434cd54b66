// A small Fastify app on PostgresStore or MySQLStore (DATABASE=postgres|mysql),
// run as its own Node process by the acceptance tests. It loads latchkey from the
// build directory the test made (LATCHKEY_BUILD), connects with DB_CONNECTION,
// reports its port over IPC, and serves:
//   /inc   locked increment of `n`      /read  unlocked read of `n`
//   /hold  takes the lock, tells the parent, and never lets go (to be SIGKILLed)
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Fastify from 'fastify'

const build = process.env.LATCHKEY_BUILD
const load = (path) => import(pathToFileURL(join(build, path)).href)
const { Sessions } = await load('index.js')
const { latchkey } = await load('adapters/fastify/index.js')

const connection = JSON.parse(process.env.DB_CONNECTION)
const max = Number(process.env.POOL_MAX ?? 4)
const queryTimeout = Number(process.env.QUERY_TIMEOUT ?? 2)

async function postgresStore() {
  const { default: pg } = await import('pg')
  const { PostgresStore } = await load('stores/postgres/index.js')
  const pool = new pg.Pool({ ...connection, max })
  pool.on('error', () => {})
  return new PostgresStore({ client: pool, queryTimeout })
}

async function mysqlStore() {
  const { default: mysql } = await import('mysql2/promise')
  const { MySQLStore } = await load('stores/mysql/index.js')
  const pool = mysql.createPool({ ...connection, connectionLimit: max, connectTimeout: 2000 })
  return new MySQLStore({ client: pool, queryTimeout })
}

const store = process.env.DATABASE === 'mysql' ? await mysqlStore() : await postgresStore()
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
