/**
 * express-session stores as latchkey stores, and express-session's sessions
 * (and @fastify/session's) as migration sources: `import { fromExpressStore, expressSessionSource } from 'latchkey/stores/express'`.
 * @module
 */
export {
  type ExpressSessionSourceOptions,
  expressSessionSource,
  type FastifySessionSourceOptions,
  fastifySessionSource,
} from './express-session-source.js'
export type { ExpressSessionObject, ExpressSessionStoreLike } from './express-session-store.js'
export { type ExpressStoreOptions, fromExpressStore } from './express-store.js'
