import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { DatabaseServer } from '../support/database-server.js'
import { CookieJar, type Reply, request } from '../support/http.js'
import { buildPackage } from './build.js'
import { forEachSqlTarget } from './targets.js'

const SCRIPT = fileURLToPath(new URL('./counter-server.js', import.meta.url))
/**
 * Roomy for a loaded CI host: a holder slowed for a second neither loses its
 * lease nor sees a query time out, so every increment answers 200. The
 * recovery and deadline tests measure against these.
 */
const LEASE_S = 3
const QUERY_TIMEOUT_S = 2

interface Worker {
  child: ChildProcess
  base: string
  /** Resolves on the worker's next IPC message with `holding`. */
  holding: () => Promise<void>
}

async function startWorker(
  build: string,
  database: string,
  server: DatabaseServer<object>,
): Promise<Worker> {
  const child = fork(SCRIPT, [], {
    env: {
      ...process.env,
      LATCHKEY_BUILD: build,
      DATABASE: database,
      DB_CONNECTION: JSON.stringify(server.connection),
      POOL_MAX: '4',
      LEASE: String(LEASE_S),
      QUERY_TIMEOUT: String(QUERY_TIMEOUT_S),
      LOCK_TIMEOUT: '30',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before listening`)))
    child.on('message', (message: { port?: number }) => {
      if (message.port) resolve(message.port)
    })
  })
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    holding: () =>
      new Promise((resolve) => {
        child.on('message', (message: { holding?: boolean }) => {
          if (message.holding) resolve()
        })
      }),
  }
}

forEachSqlTarget((target) =>
  target.describe(`${target.storeName} across processes`, () => {
    let server: DatabaseServer<object>
    let removeBuild: () => Promise<void> = async () => {}
    let workers: Worker[] = []
    const jar = new CookieJar()
    const fetchFrom = async (worker: Worker, path: string): Promise<Reply> => {
      const cookie = jar.header
      const reply = await request(`${worker.base}${path}`, cookie === undefined ? {} : { cookie })
      jar.absorb(reply)
      return reply
    }

    beforeAll(async () => {
      const [started, build] = await Promise.all([target.start(), buildPackage()])
      server = started
      removeBuild = build.remove
      const pool = target.pool(server, 1)
      await target.store(pool, { sweepInterval: 0 }).migrate()
      await pool.end()
      workers = await Promise.all(
        [0, 1, 2].map(() => startWorker(build.dir, target.module, server)),
      )
    }, 120_000)
    afterAll(async () => {
      for (const { child } of workers) child.kill('SIGKILL')
      await server?.thaw()
      await server?.stop()
      await removeBuild()
    })

    it('3 processes × 150 concurrent locked increments of one session end at exactly 451', async () => {
      expect((await fetchFrom(workers[0] as Worker, '/inc')).json()).toEqual({ n: 1 })
      const started = performance.now()
      const replies = await Promise.all(
        workers.flatMap((worker) => Array.from({ length: 150 }, () => fetchFrom(worker, '/inc'))),
      )
      const elapsed = performance.now() - started
      expect(replies.map((reply) => reply.status)).toEqual(Array(450).fill(200))
      const seen = replies.map((reply) => (reply.json() as { n: number }).n).sort((a, b) => a - b)
      expect(seen).toEqual(Array.from({ length: 450 }, (_, i) => i + 2))
      for (const worker of workers) {
        expect((await fetchFrom(worker, '/read')).json()).toEqual({ n: 451 })
      }
      console.log(`3 × 150 locked increments across processes: ${elapsed.toFixed(0)} ms`)
    })

    it('a SIGKILLed lock holder does not wedge the session: the next process gets it within the lease', async () => {
      const [victim, next, reader] = workers as [Worker, Worker, Worker]
      const held = victim.holding()
      fetchFrom(victim, '/hold').catch(() => undefined)
      await held
      victim.child.kill('SIGKILL')
      const started = performance.now()
      const reply = await fetchFrom(next, '/inc')
      const waited = performance.now() - started
      expect(reply.status).toBe(200)
      expect(reply.json()).toEqual({ n: 452 })
      expect(waited).toBeLessThan(LEASE_S * 1000 + 1500)
      expect((await fetchFrom(reader, '/read')).json()).toEqual({ n: 452 })
      console.log(
        `lock of a SIGKILLed holder taken over after ${waited.toFixed(0)} ms (lease ${LEASE_S} s)`,
      )
    })

    it(`SIGSTOP of ${target.server} gives 503s within the deadline; SIGCONT brings the service back`, async () => {
      const [, a, b] = workers as [Worker, Worker, Worker]
      await server.freeze()
      let replies: Array<{ reply: Reply; ms: number }>
      try {
        replies = await Promise.all(
          [a, b, a, b].map(async (worker) => {
            const started = performance.now()
            const reply = await fetchFrom(worker, '/inc')
            return { reply, ms: performance.now() - started }
          }),
        )
      } finally {
        await server.thaw()
      }
      for (const { reply, ms } of replies) {
        expect(reply.status).toBe(503)
        expect(reply.headers.get('retry-after')).toBe('1')
        // Two requests of one session queue in-process: at most two statement deadlines.
        expect(ms).toBeLessThan(2 * QUERY_TIMEOUT_S * 1000 + 1000)
      }
      const deadline = Date.now() + 10_000
      let reply = await fetchFrom(a, '/inc')
      while (reply.status !== 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        reply = await fetchFrom(a, '/inc')
      }
      expect(reply.status).toBe(200)
      const n = (reply.json() as { n: number }).n
      expect((await fetchFrom(b, '/inc')).json()).toEqual({ n: n + 1 })
    })
  }),
)
