// The demo's static files: its stylesheet, the burst and live panels' scripts and the favicon,
// read once at start and served from this origin (no external assets; CSP 'self').
import { readFileSync } from 'node:fs'

const read = (name) => readFileSync(new URL(name, import.meta.url))

const ASSETS = [
  ['/style.css', 'style.css', 'text/css; charset=utf-8'],
  ['/burst.js', 'burst-client.js', 'text/javascript; charset=utf-8'],
  ['/live.js', 'live-client.js', 'text/javascript; charset=utf-8'],
  // An SVG icon answers /favicon.ico too, so the browser's default request finds one.
  ['/favicon.ico', 'favicon.svg', 'image/svg+xml'],
]

export function assetRoutes(app) {
  for (const [path, file, type] of ASSETS) {
    const body = read(file)
    app.get(path, async (_req, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=300').send(body),
    )
  }
}
