/**
 * The worker the Durable Object tests run: the store's object class, and a
 * locked counter on `withSessions` whose sessions live in that object.
 */
import { withSessions } from '../../src/adapters/fetch/index.js'
import { Sessions } from '../../src/index.js'
import {
  DurableObjectStore,
  type SessionsNamespace,
} from '../../src/stores/durable-object/index.js'

export { LatchkeySessionsObject } from '../../src/stores/durable-object/index.js'

interface Env {
  SESSIONS: SessionsNamespace
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // A manager per invocation, as a worker without module state has: the lock is the object's.
    const sessions = new Sessions<{ n: number }>({
      store: new DurableObjectStore({ namespace: env.SESSIONS }),
      lock: { timeout: 30 },
    })
    return withSessions([sessions], async (req) => {
      await using s = await sessions.of(req).lock()
      s.set('n', (s.get('n') ?? 0) + 1)
      return Response.json({ n: s.get('n') })
    })(request)
  },
}
