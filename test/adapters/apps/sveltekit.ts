import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import {
  type Handle,
  type HandleServerError,
  json,
  type RequestEvent,
  redirect,
} from '@sveltejs/kit'
import { getRequest, setResponse } from '@sveltejs/kit/node'
import {
  handleSessionError,
  latchkey,
  loginRequired,
} from '../../../src/adapters/sveltekit/index.js'
import { served } from '../../support/http.js'
import {
  APP_COOKIE,
  type AppAuth,
  type AppRequest,
  type AppSession,
  type Framework,
  guardedRoute,
  guardedRoutes,
  jsonRoutes,
  type RunningApp,
  streamedResponse,
  VIA,
} from '../routes.js'

type Route = (event: RequestEvent) => Response | Promise<Response>

/** A page of the built app, `/page/<name>`: its load and its default form action. */
export interface KitPage {
  load?: (event: RequestEvent) => unknown
  action?: (event: RequestEvent) => unknown
}

/** What one started app gives the built app (test/adapters/sveltekit-app/src/matrix.js). */
export interface KitApp {
  handle: Handle
  handleError: HandleServerError
  /** `+server.js` routes, `/<name>`. */
  routes: Map<string, Route>
  pages?: Map<string, KitPage>
}

const APP_DIR = fileURLToPath(new URL('../sveltekit-app/', import.meta.url))
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url))
const KEY = Symbol.for('latchkey.matrix.sveltekit')
const shared = globalThis as { [KEY]?: Map<string, KitApp> }
shared[KEY] ??= new Map()
const registry = shared[KEY]

interface Built {
  Server: new (
    manifest: unknown,
  ) => {
    init(options: { env: Record<string, string> }): Promise<void>
    respond(request: Request, options: { getClientAddress(): string }): Promise<Response>
  }
  manifest: unknown
}

let built: Promise<Built> | undefined

/**
 * `vite build` of the app, at most once per version of its sources and of the
 * framework packages: into a temporary directory, then renamed to the one
 * named by their hash, which later runs (and test files running alongside) reuse.
 */
function build(): Promise<Built> {
  built ??= (async () => {
    const out = join(CACHE, `latchkey-sveltekit-${await sourcesHash()}`)
    if (!existsSync(`${out}/output/server/manifest.js`)) {
      // Inside the repository, so that the output's imports of SvelteKit's dependencies resolve.
      await mkdir(CACHE, { recursive: true })
      const fresh = await mkdtemp(join(CACHE, 'latchkey-sveltekit-build-'))
      const vite = fileURLToPath(new URL('../../../node_modules/vite/bin/vite.js', import.meta.url))
      await promisify(execFile)(process.execPath, [vite, 'build'], {
        cwd: APP_DIR,
        env: { ...process.env, LATCHKEY_KIT_OUT: fresh },
      })
      // Another test file may have finished the same build first: then its copy is used.
      await rename(fresh, out).catch(() => rm(fresh, { recursive: true, force: true }))
    }
    const server = `${out}/output/server`
    const [{ Server }, { manifest }] = await Promise.all([
      import(pathToFileURL(`${server}/index.js`).href),
      import(pathToFileURL(`${server}/manifest.js`).href),
    ])
    return { Server, manifest }
  })()
  return built
}

async function sourcesHash(): Promise<string> {
  const hash = createHash('sha256')
  const files = (await readdir(APP_DIR, { recursive: true })).sort()
  for (const file of files) {
    const path = join(APP_DIR, file)
    if ((await stat(path)).isFile()) hash.update(`${file}\0`).update(await readFile(path))
  }
  for (const name of ['@sveltejs/kit', '@sveltejs/vite-plugin-svelte', 'svelte', 'vite']) {
    const manifest = new URL(`../../../node_modules/${name}/package.json`, import.meta.url)
    hash.update(`${name}@${JSON.parse(await readFile(manifest, 'utf8')).version}\0`)
  }
  return hash.digest('hex').slice(0, 16)
}

const session = (event: RequestEvent) =>
  (event.locals as unknown as Record<string, unknown>).session as AppSession
const sessions = (event: RequestEvent): AppRequest => ({
  session: session(event),
  auth: (event.locals as unknown as Record<string, unknown>).authSession as AppAuth,
})

/**
 * The matrix app on SvelteKit 2: a real `vite build` of test/adapters/sveltekit-app
 * (its hooks in a `sequence`, a `+server.js` route, a param matcher for the
 * 404), served by the built `Server` on node:http through `@sveltejs/kit/node`,
 * as adapter-node serves it. The hooks and routes it runs are these, with
 * latchkey's src/.
 */
export const sveltekit: Framework = {
  name: 'SvelteKit 2',
  start: (manager, auth) =>
    startKitApp({
      handle: latchkey(manager, auth),
      handleError: handleSessionError,
      routes: routesOf(auth),
    }),
}

/** Serves the built app on a free port, its hooks and routes those of `app`. */
export async function startKitApp(app: KitApp): Promise<RunningApp> {
  const { Server, manifest } = await build()
  const kit = new Server(manifest)
  await kit.init({ env: process.env as Record<string, string> })
  const server = createServer(async (req, res) => {
    const request = await getRequest({ request: req, base: `http://${req.headers.host}` })
    const response = await kit.respond(request, { getClientAddress: () => '127.0.0.1' })
    await setResponse(res, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const running = await served(server)
  const host = new URL(running.url).host
  registry.set(host, app)
  return {
    url: running.url,
    close: async () => {
      registry.delete(host)
      await running.close()
    },
  }
}

function routesOf(auth: Parameters<typeof loginRequired>[0]): Map<string, Route> {
  const routes = new Map<string, Route>()
  for (const [path, route] of Object.entries(jsonRoutes)) {
    routes.set(path.slice(1), async (event) =>
      json(await route(sessions(event), event.url.searchParams)),
    )
  }
  for (const [path, options] of Object.entries(guardedRoutes)) {
    const guard = loginRequired(auth, options)
    routes.set(path.slice(1), async (event) => {
      await guard(event)
      return json(await guardedRoute(sessions(event)))
    })
  }
  routes.set('respond-in-lock', async (event) => {
    await using s = await session(event).lock()
    const n = (s.get('n') ?? 0) + 1
    s.set('n', n)
    return json({ n })
  })
  routes.set('redirect', async (event) => {
    await session(event).set('via', VIA.redirect)
    redirect(302, '/read')
  })
  routes.set('stream', async (event) => {
    await session(event).set('via', VIA.stream)
    return streamedResponse()
  })
  routes.set('end', async (event) => {
    await session(event).set('via', VIA.end)
    return new Response('ok')
  })
  routes.set('app-cookie', async (event) => {
    await session(event).set('via', VIA.appCookie)
    const response = json({ ok: true })
    response.headers.append('set-cookie', APP_COOKIE)
    return response
  })
  return routes
}
