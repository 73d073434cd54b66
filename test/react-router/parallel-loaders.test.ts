/**
 * React Router runs the loaders of all matched routes at the same time. Two
 * loaders, a parent route's and its child's, each add 1 to the same session's
 * `n` on every request: after N requests `n` should be 2N. Run through React
 * Router's own request handler, as document requests and as the `.data`
 * requests of client navigation, with React Router's cookie session storage,
 * its `createSessionStorage` over a Map (as its docs show), and latchkey;
 * the Map's reads and writes and latchkey's saves take a millisecond, as a
 * database's do.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  createCookieSessionStorage,
  createRequestHandler,
  createSessionStorage,
  data,
  type SessionStorage,
} from 'react-router'
import { afterAll, describe, expect, it } from 'vitest'
import { withSessions } from '../../src/adapters/react-router/index.js'
import { Sessions } from '../../src/index.js'
import { OutageStore } from '../adapters/outage-store.js'
import { serverBuild } from '../support/react-router-build.js'

const REQUESTS = 50
type Loader = (args: { request: Request }) => Promise<unknown>

/** The two loaders' increment and a read of `n`, for one way of keeping sessions. */
interface Contestant {
  name: string
  increment: Loader
  read: Loader
}

function reactRouterStorage(name: string, storage: SessionStorage<{ n: number }>): Contestant {
  const open = (request: Request) => storage.getSession(request.headers.get('cookie'))
  return {
    name,
    async increment({ request }) {
      const session = await open(request)
      session.set('n', (session.get('n') ?? 0) + 1)
      return data(null, { headers: { 'set-cookie': await storage.commitSession(session) } })
    },
    async read({ request }) {
      return Response.json({ n: (await open(request)).get('n') ?? 0 })
    },
  }
}

const cookie = { name: '__session', secrets: ['not-a-secret'], secure: false }
const map = new Map<string, unknown>()
/** A database's round trip: without one, a Map's read-modify-write ends before the other loader reads. */
const LATENCY_MS = 1
const store = new OutageStore()
store.commitLatency = LATENCY_MS
const sessions = new Sessions<{ n: number }>({ store })

const contestants: Contestant[] = [
  reactRouterStorage('createCookieSessionStorage', createCookieSessionStorage({ cookie })),
  reactRouterStorage(
    `createSessionStorage over a Map, ${LATENCY_MS} ms a read or write`,
    createSessionStorage<{ n: number }>({
      cookie,
      async createData(value) {
        const id = randomUUID()
        map.set(id, value)
        return id
      },
      async readData(id) {
        await sleep(LATENCY_MS)
        return (map.get(id) as { n: number } | undefined) ?? null
      },
      async updateData(id, value) {
        await sleep(LATENCY_MS)
        map.set(id, value)
      },
      async deleteData(id) {
        map.delete(id)
      },
    }),
  ),
  {
    name: `latchkey, ${LATENCY_MS} ms a save`,
    increment: withSessions(sessions, async ({ request }) => {
      await using s = await sessions.of(request).lock()
      s.set('n', (s.get('n') ?? 0) + 1)
      return null
    }),
    read: withSessions(sessions, async ({ request }) =>
      Response.json({ n: (await sessions.of(request).get('n')) ?? 0 }),
    ),
  },
]

/** What a browser keeps: the last `Set-Cookie` of each name. */
class Jar {
  readonly #cookies = new Map<string, string>()
  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] as string
      const at = pair.indexOf('=')
      this.#cookies.set(pair.slice(0, at), pair.slice(at + 1))
    }
  }
}

const lost: Record<string, number> = {}
afterAll(() => {
  console.log(`lost updates of ${2 * REQUESTS} per run:`, lost)
  return sessions.close()
})

/** The loaders of one request in flight at once, at most: 2 shows React Router ran them side by side. */
function overlapping(loader: Loader): { loader: Loader; most: () => number } {
  let running = 0
  let most = 0
  return {
    async loader(args) {
      most = Math.max(most, ++running)
      try {
        return await loader(args)
      } finally {
        running--
      }
    },
    most: () => most,
  }
}

// v8_passThroughRequests (React Router 8's default) hands every loader the one Request of the
// request; without it each loader gets a copy of its own.
describe.each([
  ['document', false],
  ['data', false],
  ['document', true],
  ['data', true],
] as const)('parallel loaders, %s requests, v8_passThroughRequests %s', (kind, passThrough) => {
  describe.each(contestants)('$name', (contestant) => {
    const increment = overlapping(contestant.increment)
    const handler = createRequestHandler(
      serverBuild([
        { id: 'start', path: 'start', module: { loader: contestant.increment } },
        { id: 'read', path: 'read', module: { loader: contestant.read } },
        { id: 'parent', path: 'p', module: { loader: increment.loader, default: () => null } },
        {
          id: 'child',
          parentId: 'parent',
          path: 'c',
          module: { loader: increment.loader, default: () => null },
        },
      ]),
      'production',
    )
    const jar = new Jar()
    const get = async (path: string) => {
      const response = await handler(
        new Request(`http://app.test${path}`, { headers: { cookie: jar.header } }),
      )
      jar.take(response)
      return response
    }

    it(`${REQUESTS} requests of a parent and a child loader, each adding 1`, async () => {
      expect((await get('/start')).status).toBe(200)
      const read = async () => ((await (await get('/read')).json()) as { n: number }).n
      const before = await read()
      expect(before).toBe(1)
      for (let i = 0; i < REQUESTS; i++) {
        const response = await get(kind === 'document' ? '/p/c' : '/p/c.data')
        expect(response.status).toBe(200)
        await response.text()
      }
      expect(increment.most()).toBe(2)
      const missing = 2 * REQUESTS - ((await read()) - before)
      lost[`${contestant.name}, ${kind}${passThrough ? ', pass-through' : ''}`] = missing
      if (contestant.name.startsWith('latchkey')) expect(missing).toBe(0)
      else expect(missing).toBeGreaterThan(0)
    })
  })
})
