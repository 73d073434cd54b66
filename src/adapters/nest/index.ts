/**
 * NestJS 12, Express and Fastify platforms: `import { SessionErrorFilter,
 * loginRequired } from 'latchkey/nest'`. The sessions themselves come from
 * `latchkey/express` (`app.use(latchkey(...))` on a `NestExpressApplication`)
 * or `latchkey/fastify` (`await app.register(latchkey(...))` on a
 * `NestFastifyApplication`), and Nest's own `@Session()` gives
 * `req.session`.
 * @module
 */
export { SessionErrorFilter } from './error-filter.js'
export { type LoginRequiredOptions, loginRequired } from './login-required.js'
