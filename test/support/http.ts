import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'

/** A response as the tests look at it. */
export interface Reply {
  status: number
  body: string
  json: <T = unknown>() => T
  setCookies: string[]
  headers: Headers
}

/** Starts a Fastify app on a free loopback port; returns its base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

/** A server started on a loopback port, as the tests use it. */
export interface Served {
  /** `http://127.0.0.1:<port>` */
  url: string
  /** Ends keep-alive connections and closes the server. */
  close(): Promise<void>
}

/** Waits until `server` (started on a free loopback port) listens; returns its URL and a close. */
export async function served(server: Server): Promise<Served> {
  if (!server.listening) await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** One HTTP request over a real socket. */
export async function request(
  url: string,
  init: { cookie?: string; method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.cookie) headers.cookie = init.cookie
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    redirect: 'manual',
    ...(init.body === undefined ? {} : { body: init.body }),
  })
  const body = await response.text()
  return {
    status: response.status,
    body,
    json: <T>() => JSON.parse(body) as T,
    setCookies: response.headers.getSetCookie(),
    headers: response.headers,
  }
}

/** `name=value` of the first Set-Cookie for `name`, to send back as a Cookie header. */
export function cookiePair(reply: Reply, name: string): string | undefined {
  const line = reply.setCookies.find((c) => c.startsWith(`${name}=`))
  return line?.split(';')[0]
}

/**
 * A minimal browser cookie jar for one origin: keeps what Set-Cookie says,
 * drops cookies deleted with Max-Age=0.
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>()

  get header(): string | undefined {
    if (this.#cookies.size === 0) return undefined
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name)
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value)
  }

  absorb(reply: Reply): void {
    for (const line of reply.setCookies) {
      const [pair = ''] = line.split(';')
      const index = pair.indexOf('=')
      const name = pair.slice(0, index)
      const value = pair.slice(index + 1)
      if (/;\s*Max-Age=0(;|$)/i.test(line) || value === '') this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }

  async fetch(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const cookie = this.header
    const reply = await request(url, { ...init, ...(cookie === undefined ? {} : { cookie }) })
    this.absorb(reply)
    return reply
  }
}
