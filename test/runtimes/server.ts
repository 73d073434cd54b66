/**
 * Serves the runtime tests' app (web-app.ts) on a free port, which it prints
 * as `port=<n>`: by Bun.serve and Deno.serve from the TypeScript sources, on
 * Node bundled by esbuild first. With REDIS_URL, the counter lives in Redis
 * (node-redis); otherwise in a MemoryStore.
 */
import { createClient } from 'redis'
import type { SessionStore } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { webApp } from './web-app.js'

declare const Bun:
  | {
      serve(options: {
        port: number
        hostname: string
        fetch: (request: Request) => Promise<Response>
      }): { port: number }
    }
  | undefined
declare const Deno:
  | {
      serve(
        options: { port: number; hostname: string; onListen(address: { port: number }): void },
        handler: (request: Request) => Promise<Response>,
      ): unknown
    }
  | undefined

async function counterStore(): Promise<SessionStore> {
  const url = globalThis.process?.env.REDIS_URL
  if (!url) return new MemoryStore()
  const client = createClient({ url })
  await client.connect()
  return new RedisStore({ client, prefix: `runtime-${Math.random().toString(36).slice(2)}:` })
}

const handler = webApp(await counterStore())

if (typeof Bun !== 'undefined') {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: handler })
  console.log(`port=${server.port}`)
} else if (typeof Deno !== 'undefined') {
  Deno.serve(
    { port: 0, hostname: '127.0.0.1', onListen: ({ port }) => console.log(`port=${port}`) },
    handler,
  )
} else {
  // Node: through @hono/node-server, as a Node app would serve Web handlers.
  const { serve } = await import('@hono/node-server')
  serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, ({ port }) =>
    console.log(`port=${port}`),
  )
}
