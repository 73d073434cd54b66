/**
 * Why `withSessions` gives every loader sessions of its own instead of one
 * session per request (what a route middleware would open): the loaders of a
 * request run at once, and a `lock()` taken while another loader of the same
 * request holds the session's lock joins that lock instead of waiting for it.
 * Here the parent's loader locks after 1 ms and the child's after 3 ms, and
 * each holds the lock across an `await` between its read and its write.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { createRequestHandler } from 'react-router'
import { afterAll, describe, expect, it } from 'vitest'
import { openSessions } from '../../src/adapters/fetch/index.js'
import { withSessions } from '../../src/adapters/react-router/index.js'
import { bindSessions } from '../../src/core/bound-sessions.js'
import { Sessions } from '../../src/index.js'
import { OutageStore } from '../adapters/outage-store.js'
import { type RouteSpec, serverBuild } from '../support/react-router-build.js'

const REQUESTS = 30
type Args = { request: Request; context: object }

function counter(late: boolean, holder: (args: Args) => object, sessions: Sessions<{ n: number }>) {
  return async (args: Args) => {
    await sleep(late ? 3 : 1)
    await using s = await sessions.of(holder(args)).lock()
    const n = s.get('n') ?? 0
    await sleep(5)
    s.set('n', n + 1)
    return null
  }
}

/** One request's session for all its loaders, found through React Router's `context`. */
function oneSessionPerRequest(sessions: Sessions<{ n: number }>) {
  return async ({ request, context }: Args, next: () => Promise<Response>) => {
    const web = openSessions(request, sessions)
    bindSessions(context, () => web.get(sessions))
    return web.respond(await next())
  }
}

async function lostUpdates(shared: boolean): Promise<number> {
  const store = new OutageStore()
  const sessions = new Sessions<{ n: number }>({ store, warnLock: false })
  const holder = shared ? (args: Args) => args.context : (args: Args) => args.request
  const wrap = (loader: (args: Args) => Promise<null>) =>
    shared ? loader : withSessions(sessions, loader)
  const routes: RouteSpec[] = [
    {
      id: 'parent',
      path: 'p',
      module: { loader: wrap(counter(false, holder, sessions)), default: () => null },
    },
    {
      id: 'child',
      parentId: 'parent',
      path: 'c',
      module: { loader: wrap(counter(true, holder, sessions)), default: () => null },
    },
  ]
  const handler = createRequestHandler(
    serverBuild(
      routes,
      { v8_middleware: true, v8_passThroughRequests: true },
      shared ? { middleware: [oneSessionPerRequest(sessions)] } : {},
    ),
    'test',
  )
  const first = openSessions(null, sessions)
  await first.get(sessions).set('n', 0)
  const cookie = (await first.finish())[0]?.split(';')[0] as string
  for (let i = 0; i < REQUESTS; i++) {
    const response = await handler(new Request('http://app.test/p/c', { headers: { cookie } }))
    expect(response.status).toBe(200)
  }
  const after = openSessions(cookie, sessions)
  const n = (await after.get(sessions).get('n')) as number
  await after.finish()
  await sessions.close()
  return 2 * REQUESTS - n
}

describe('a parent and a child loader locking the session 2 ms apart', () => {
  const lost: Record<string, number> = {}
  afterAll(() => console.log(`lost updates of ${2 * REQUESTS}:`, lost))

  it('with withSessions (a session for each loader, on the one Request of v8_passThroughRequests) none is lost', async () => {
    lost.withSessions = await lostUpdates(false)
    expect(lost.withSessions).toBe(0)
  })

  it('with one session for the whole request, the late lock joins the held one and updates are lost', async () => {
    lost['one session per request'] = await lostUpdates(true)
    expect(lost['one session per request']).toBeGreaterThan(0)
  })
})
