/**
 * Fastify 5 plugin: `import { latchkey } from 'latchkey/fastify'`.
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { SessionUnavailableError } from '../../core/errors.js'
import type { RegisteredData } from '../../core/register.js'
import type { Session } from '../../core/session.js'
import { type AnySessions, checkManagers, errorResponse } from '../shared.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session from a `Sessions` manager with the default name. */
    session: Session<RegisteredData<'session'>>
  }
}

const OPEN = Symbol('latchkey.open')

interface Tracked {
  [OPEN]?: Session[]
}

function sessionsOf(request: FastifyRequest): Session[] {
  return (request as FastifyRequest & Tracked)[OPEN] ?? []
}

/**
 * The latchkey plugin: attaches one session per manager to every request (as
 * `request[manager.name]`), saves them and sets their cookies before the
 * response headers are sent. Session errors that mean "try again" answer 503
 * with `Retry-After`.
 *
 * @example
 * ```ts
 * const app = Fastify()
 * await app.register(latchkey(sessions, auth))
 * app.get('/inc', async (req) => {
 *   await using s = await req.session.lock()
 *   s.set('n', (s.get('n') ?? 0) + 1)
 *   return { n: s.get('n') }
 * })
 * ```
 */
export function latchkey(...managers: AnySessions[]): FastifyPluginAsync {
  checkManagers(managers)
  const plugin = async (app: FastifyInstance): Promise<void> => {
    for (const manager of managers) {
      if (!app.hasRequestDecorator(manager.name)) app.decorateRequest(manager.name, null)
    }

    app.addHook('onRequest', async (request) => {
      const cookie = request.headers.cookie
      const userAgent = request.headers['user-agent']
      const open: Session[] = []
      for (const manager of managers) {
        const session = manager.open({ cookie, userAgent })
        ;(request as unknown as Record<string, unknown>)[manager.name] = session
        open.push(session)
      }
      ;(request as FastifyRequest & Tracked)[OPEN] = open
    })

    app.addHook('onError', async (_request, reply, error) => {
      if (error instanceof SessionUnavailableError)
        reply.header('retry-after', String(error.retryAfter))
    })

    app.addHook('onSend', async (request, reply, payload) => {
      const open = sessionsOf(request)
      ;(request as FastifyRequest & Tracked)[OPEN] = []
      try {
        for (const session of open) {
          for (const cookie of await session.commit()) reply.header('set-cookie', cookie)
        }
        return payload
      } catch (error) {
        const answer = errorResponse(error)
        if (!answer) throw error
        request.log.error({ err: error }, 'latchkey: saving the session failed')
        reply.removeHeader('set-cookie')
        reply.code(answer.status)
        for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value)
        return answer.body
      }
    })

    // A reply that never reached onSend (hijacked, aborted) must still release held locks.
    app.addHook('onResponse', async (request) => {
      for (const session of sessionsOf(request)) {
        await session
          .commit()
          .catch((error: unknown) =>
            request.log.error({ err: error }, 'latchkey: releasing the session failed'),
          )
      }
    })
  }
  return fp(plugin, { fastify: '5.x', name: 'latchkey' })
}

export { type LoginRequiredOptions, loginRequired } from './login-required.js'
