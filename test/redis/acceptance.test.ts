import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookiePair, type Reply, request } from '../support/http.js'
import { describeRedis } from '../support/redis-server.js'
import { AppProcess } from './app-process.js'
import { FLAVOURS, useRedisServers } from './clients.js'

const PER_PROCESS = 150
/**
 * Roomy for a loaded CI host: a holder slowed for a second neither loses its
 * lease nor sees a command time out, so every increment answers 200. The
 * recovery and deadline tests measure against these.
 */
const LEASE_S = 3
const COMMAND_TIMEOUT_S = 2

/** A session with n = 1, created through `app`; returns its cookie. */
async function newSession(app: AppProcess): Promise<string> {
  const first = await request(`${app.url}/inc`)
  expect(first.json()).toMatchObject({ n: 1 })
  const cookie = cookiePair(first, 'SESSION')
  if (!cookie) throw new Error('no session cookie')
  return cookie
}

/** `PER_PROCESS` concurrent requests of one session to each app at once. */
function hammer(apps: AppProcess[], path: string, cookie: string): Promise<Reply[]> {
  return Promise.all(
    apps.flatMap((app) =>
      Array.from({ length: PER_PROCESS }, () => request(`${app.url}${path}`, { cookie })),
    ),
  )
}

async function readN(app: AppProcess, cookie: string): Promise<number> {
  return (await request(`${app.url}/read`, { cookie })).json<{ n: number }>().n
}

describeRedis('Redis acceptance: separate Node processes on one Redis', () => {
  const servers = useRedisServers()

  for (const flavour of FLAVOURS) {
    describe(`${flavour}, standalone`, () => {
      let apps: AppProcess[] = []
      beforeAll(async () => {
        apps = await Promise.all(
          [1, 2, 3].map(() =>
            AppProcess.start({
              REDIS_FLAVOUR: flavour,
              REDIS_PORT: String(servers.standalone.server.port),
              LOCK_LEASE: String(LEASE_S),
              COMMAND_TIMEOUT: String(COMMAND_TIMEOUT_S),
            }),
          ),
        )
      })
      afterAll(async () => {
        await Promise.all(apps.map((app) => app.stop()))
      })

      it(`3 processes × ${PER_PROCESS} concurrent locked increments lose nothing`, async () => {
        const cookie = await newSession(apps[0] as AppProcess)
        const replies = await hammer(apps, '/inc', cookie)
        expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([])
        expect(await readN(apps[1] as AppProcess, cookie)).toBe(1 + 3 * PER_PROCESS)
        const seen = replies.map((r) => r.json<{ n: number }>().n).sort((a, b) => a - b)
        expect(seen).toEqual(Array.from({ length: 3 * PER_PROCESS }, (_, i) => i + 2))
      })

      it('a locked request costs two round trips: lock+load, save+unlock', async () => {
        const app = apps[0] as AppProcess
        const cookie = await newSession(app)
        await request(`${app.url}/inc`, { cookie }) // loads the scripts into Redis if needed
        const monitor = await servers.standalone.server.monitor()
        for (let i = 0; i < 20; i++)
          expect((await request(`${app.url}/inc`, { cookie })).status).toBe(200)
        const commands = await monitor.stop()
        expect(commands.length).toBe(40)
        expect(commands.every((command) => command[0] === 'evalsha')).toBe(true)
      })

      it('the same increments without the lock lose updates', async () => {
        const cookie = await newSession(apps[0] as AppProcess)
        const replies = await hammer(apps, '/inc-unlocked', cookie)
        expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([])
        const n = await readN(apps[1] as AppProcess, cookie)
        console.info(`${flavour}: unlocked increments ended at n = ${n} of ${1 + 3 * PER_PROCESS}`)
        expect(n).toBeLessThan(1 + 3 * PER_PROCESS)
      })

      it('a frozen Redis answers 503 within the deadline; thawed, the apps recover', async () => {
        const [a, b] = apps as [AppProcess, AppProcess]
        const cookie = await newSession(a)
        servers.standalone.server.freeze()
        let replies: Array<Reply & { ms: number }>
        try {
          replies = await Promise.all(
            [`${a.url}/inc`, `${b.url}/inc`, `${a.url}/read`, `${b.url}/inc`].map(async (url) => {
              const started = Date.now()
              const reply = await request(url, { cookie })
              return { ...reply, ms: Date.now() - started }
            }),
          )
        } finally {
          servers.standalone.server.thaw()
        }
        for (const reply of replies) {
          expect(reply.status).toBe(503)
          expect(reply.headers.get('retry-after')).toBe('1')
          // Two requests of one session queue in-process: at most two command deadlines.
          expect(reply.ms).toBeLessThan(2 * COMMAND_TIMEOUT_S * 1000 + 1000)
        }
        expect((await request(`${b.url}/inc`, { cookie })).status).toBe(200)
        expect((await request(`${a.url}/inc`, { cookie })).json()).toMatchObject({ n: 3 })
      })

      it('a holder stalled past its lease (SIGSTOP) cannot overwrite the next holder (fencing)', async () => {
        const [survivor, , victim] = apps as [AppProcess, AppProcess, AppProcess]
        const cookie = await newSession(survivor)
        const stalled = request(`${victim.url}/slow-inc?ms=300`, { cookie })
        await victim.waitFor('locked')
        victim.kill('SIGSTOP') // like a long GC pause: no renewal, the lease runs out
        try {
          expect((await request(`${survivor.url}/inc`, { cookie })).json()).toMatchObject({ n: 2 })
          expect((await request(`${survivor.url}/inc`, { cookie })).json()).toMatchObject({ n: 3 })
        } finally {
          victim.kill('SIGCONT')
        }
        const refused = await stalled
        expect(refused.status).toBe(503)
        expect(refused.json()).toMatchObject({ code: 'LATCHKEY_LOCK_LOST' })
        expect(await readN(survivor, cookie)).toBe(3)
        expect((await request(`${victim.url}/inc`, { cookie })).json()).toMatchObject({ n: 4 })
      })

      it('a holder killed with SIGKILL mid-request: another process gets the lock within the lease', async () => {
        const [survivor, , victim] = apps as [AppProcess, AppProcess, AppProcess]
        const cookie = await newSession(survivor)
        const doomed = request(`${victim.url}/slow-inc?ms=60000`, { cookie }).catch(
          (error: unknown) => error,
        )
        await victim.waitFor('locked')
        victim.kill('SIGKILL')
        await doomed
        const started = Date.now()
        const reply = await request(`${survivor.url}/inc`, { cookie })
        const waited = Date.now() - started
        expect(reply.status).toBe(200)
        expect(reply.json()).toMatchObject({ n: 2 })
        expect(waited).toBeLessThan(LEASE_S * 1000 + 1500)
      })
    })

    describe(`${flavour}, 3-master cluster`, () => {
      let apps: AppProcess[] = []
      beforeAll(async () => {
        apps = await Promise.all(
          [1, 2, 3].map(() =>
            AppProcess.start({
              REDIS_FLAVOUR: flavour,
              REDIS_CLUSTER: JSON.stringify(servers.cluster.rootNodes),
            }),
          ),
        )
      })
      afterAll(async () => {
        await Promise.all(apps.map((app) => app.stop()))
      })

      it(`3 processes × ${PER_PROCESS} concurrent locked increments lose nothing`, async () => {
        const cookie = await newSession(apps[0] as AppProcess)
        const replies = await hammer(apps, '/inc', cookie)
        expect(replies.map((r) => r.status).filter((s) => s !== 200)).toEqual([])
        expect(await readN(apps[2] as AppProcess, cookie)).toBe(1 + 3 * PER_PROCESS)
      })
    })
  }
})
