import Fastify, { type FastifyInstance } from 'fastify'
import { latchkey } from '../../src/adapters/fastify/index.js'
import type { Sessions } from '../../src/index.js'
import { listen } from './http.js'

/**
 * A Fastify app serving a session counter on a free loopback port: `/inc`
 * increments `n` under the session's lock, `/read` reads it without. Close
 * the returned app when done.
 */
export async function startCounterApp(
  sessions: Sessions<{ n: number }>,
): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify()
  await app.register(latchkey(sessions))
  app.get('/inc', async (req) => {
    await using s = await req.session.lock()
    s.set('n', Number(s.get('n') ?? 0) + 1)
    return { n: s.get('n') }
  })
  app.get('/read', async (req) => ({ n: (await req.session.get('n')) ?? null }))
  return { app, base: await listen(app) }
}
