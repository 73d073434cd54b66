import type { ServerBuild } from 'react-router'

/** One route of a server build: its id, place in the tree, and module (loader, action, middleware, default). */
export interface RouteSpec {
  id: string
  parentId?: string
  path?: string
  index?: boolean
  module: Record<string, unknown>
}

/**
 * A React Router server build made in the test, what `react-router build`
 * emits as `build/server/index.js`: the route tree and modules, no client
 * assets. Its entry answers a document request with an empty page carrying the
 * headers React Router merged from the loaders (the app's own
 * `entry.server`, which would render the route components, is the only part
 * left out). The routes hang under a root route whose module is `root`
 * (a `middleware` export, say), without a loader.
 */
export function serverBuild(
  routes: RouteSpec[],
  future: Partial<ServerBuild['future']> = {},
  root: Record<string, unknown> = {},
): ServerBuild {
  const all: RouteSpec[] = [
    { id: 'root', path: '', module: { default: () => null, ...root } },
    ...routes,
  ]
  const manifest: ServerBuild['routes'] = {}
  const assets: ServerBuild['assets']['routes'] = {}
  for (const { id, parentId, path, index, module } of all) {
    const parent = id === 'root' ? undefined : (parentId ?? 'root')
    manifest[id] = {
      id,
      parentId: parent,
      path,
      index,
      caseSensitive: undefined,
      module,
    } as unknown as ServerBuild['routes'][string]
    assets[id] = {
      id,
      parentId: parent,
      path,
      index,
      module: `/${id}.js`,
      hasAction: 'action' in module,
      hasLoader: 'loader' in module,
      hasClientAction: false,
      hasClientLoader: false,
      hasClientMiddleware: false,
      hasErrorBoundary: false,
    } as ServerBuild['assets']['routes'][string]
  }
  return {
    entry: {
      module: {
        default: (_request: Request, status: number, headers: Headers) => {
          headers.set('content-type', 'text/html; charset=utf-8')
          return new Response('<!doctype html><title>app</title>', { status, headers })
        },
      },
    },
    routes: manifest,
    assets: {
      entry: { imports: [], module: '/entry.client.js' },
      routes: assets,
      url: '/manifest.js',
      version: '1',
    },
    publicPath: '/',
    assetsBuildDirectory: 'build/client',
    future: {
      v8_passThroughRequests: false,
      v8_trailingSlashAwareDataRequests: false,
      v8_middleware: false,
      ...future,
    },
    ssr: true,
    isSpaMode: false,
    prerender: [],
    routeDiscovery: { mode: 'lazy', manifestPath: '/__manifest' },
  } as ServerBuild
}
