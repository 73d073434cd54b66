import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQLiteStore } from '../../src/stores/sqlite/index.js'
import { buildPackage } from '../sql/build.js'
import { CookieJar, type Reply, request } from '../support/http.js'
import { type TempDir, tempDir } from './fixtures.js'

const SCRIPT = fileURLToPath(new URL('./counter-server.js', import.meta.url))
const LEASE_S = 1

interface Worker {
  child: ChildProcess
  base: string
  /** Resolves on the worker's next IPC message with `holding`. */
  holding: () => Promise<void>
}

async function startWorker(build: string, path: string): Promise<Worker> {
  const child = fork(SCRIPT, [], {
    env: {
      ...process.env,
      LATCHKEY_BUILD: build,
      SQLITE_PATH: path,
      LEASE: String(LEASE_S),
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

describe('SQLiteStore across processes', () => {
  let temp: TempDir
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
    const [made, build] = await Promise.all([tempDir(), buildPackage()])
    temp = made
    removeBuild = build.remove
    const store = new SQLiteStore({ path: temp.file, sweepInterval: 0 })
    await store.migrate()
    await store.close()
    workers = await Promise.all([0, 1, 2].map(() => startWorker(build.dir, temp.file)))
  }, 120_000)
  afterAll(async () => {
    for (const { child } of workers) child.kill('SIGKILL')
    await removeBuild()
    await temp?.remove()
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
    expect(waited).toBeLessThan(LEASE_S * 1000 + 1000)
    expect((await fetchFrom(reader, '/read')).json()).toEqual({ n: 452 })
    console.log(
      `lock of a SIGKILLed holder taken over after ${waited.toFixed(0)} ms (lease ${LEASE_S} s)`,
    )
  })
})
