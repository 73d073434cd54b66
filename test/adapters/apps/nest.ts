import type { ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import {
  Controller,
  type ExceptionFilter,
  Get,
  type INestApplication,
  Module,
  Redirect,
  Req,
  Res,
  Session,
  StreamableFile,
  UseGuards,
} from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import type { FastifyReply } from 'fastify'
import { latchkey as latchkeyExpress } from '../../../src/adapters/express/index.js'
import { latchkey as latchkeyFastify } from '../../../src/adapters/fastify/index.js'
import { loginRequired, SessionErrorFilter } from '../../../src/adapters/nest/index.js'
import type { AnySessions } from '../../../src/adapters/shared.js'
import {
  APP_COOKIE,
  type AppAuth,
  type AppSession,
  type Framework,
  guardedRoute,
  guardedRoutes,
  jsonRoutes,
  STREAM_CHUNKS,
  VIA,
} from '../routes.js'

export type Platform = 'express' | 'fastify'
type Request = { url: string; authSession: AppAuth }
/** Express's `res` or Fastify's `reply`, as `@Res()` gives it. */
type Response = ServerResponse & { json(body: unknown): void } & FastifyReply
type Handler = (...args: never[]) => unknown

/**
 * A controller written as a Nest user writes one, its decorators applied as
 * calls: the routes come from the shared tables, and the tests are compiled
 * without `experimentalDecorators` (the decorator syntax of docs/frameworks.md
 * is type-checked by test/docs, `project=nest`, and run by test/nest).
 */
export class Routes {
  readonly #proto: Record<string, unknown>

  constructor(readonly controller: new () => object) {
    this.#proto = controller.prototype as Record<string, unknown>
  }

  add(
    path: string,
    handler: Handler,
    params: ParameterDecorator[],
    decorators: MethodDecorator[] = [],
    verb: (path: string) => MethodDecorator = Get,
  ): void {
    const key = `route${Object.keys(this.#proto).length}`
    // A function of its own: Nest keeps a route's metadata on the handler function.
    this.#proto[key] = (...args: never[]) => handler(...args)
    const descriptor = Object.getOwnPropertyDescriptor(this.#proto, key) as PropertyDescriptor
    params.forEach((param, index) => {
      param(this.#proto, key, index)
    })
    for (const decorate of [verb(path), ...decorators]) decorate(this.#proto, key, descriptor)
  }
}

const query = (req: Request) => new URL(req.url, 'http://localhost').searchParams

/** Sends a JSON body through `@Res()`: Express's `res.json`, Fastify's `reply.send`. */
function sendJson(platform: Platform, res: Response, body: unknown): void {
  if (platform === 'express') res.json(body)
  else res.send(body)
}

function controller(platform: Platform, auth: AnySessions): new () => object {
  const routes = new Routes(class MatrixController {})
  for (const [path, route] of Object.entries(jsonRoutes)) {
    routes.add(
      path,
      (session: AppSession, req: Request) => route({ session, auth: req.authSession }, query(req)),
      [Session(), Req()],
    )
  }
  for (const [path, options] of Object.entries(guardedRoutes)) {
    routes.add(
      path,
      (session: AppSession, req: Request) => guardedRoute({ session, auth: req.authSession }),
      [Session(), Req()],
      [UseGuards(loginRequired(auth as never, options))],
    )
  }
  routes.add(
    '/respond-in-lock',
    async (session: AppSession, res: Response) => {
      await using s = await session.lock()
      const n = (s.get('n') ?? 0) + 1
      s.set('n', n)
      sendJson(platform, res, { n }) // the response starts before the lock is released
    },
    [Session(), Res()],
  )
  routes.add(
    '/redirect',
    async (session: AppSession) => {
      await session.set('via', VIA.redirect)
    },
    [Session()],
    [Redirect('/read')],
  )
  routes.add(
    '/stream',
    async (session: AppSession) => {
      await session.set('via', VIA.stream)
      return new StreamableFile(Readable.from(STREAM_CHUNKS), { type: 'text/plain' })
    },
    [Session()],
  )
  routes.add(
    '/end',
    async (session: AppSession, res: Response) => {
      await session.set('via', VIA.end)
      if (platform === 'express') res.end('ok')
      else res.type('text/plain').send('ok')
    },
    [Session(), Res()],
  )
  routes.add(
    '/app-cookie',
    async (session: AppSession, res: Response) => {
      await session.set('via', VIA.appCookie)
      res.header('set-cookie', APP_COOKIE) // Express's res.header and Fastify's reply.header alike
      return { ok: true }
    },
    [Session(), Res({ passthrough: true })],
  )
  Controller()(routes.controller)
  return routes.controller
}

/**
 * A Nest app of one controller on `platform`, latchkey registered as
 * docs/frameworks.md shows, with `filters` (`SessionErrorFilter`) as global
 * filters; not yet listening.
 */
export async function createNestApp(
  platform: Platform,
  controller: new () => object,
  managers: AnySessions[],
  filters: ExceptionFilter[] = [new SessionErrorFilter()],
): Promise<INestApplication> {
  class AppModule {}
  Module({ controllers: [controller] })(AppModule)
  const app = await create(platform, AppModule, managers)
  // biome-ignore lint/correctness/useHookAtTopLevel: Nest's method, not a React hook
  app.useGlobalFilters(...filters)
  return app
}

async function create(
  platform: Platform,
  module: new () => object,
  managers: AnySessions[],
): Promise<INestApplication> {
  if (platform === 'express') {
    const app = await NestFactory.create<NestExpressApplication>(module, new ExpressAdapter(), {
      logger: false,
    })
    app.use(latchkeyExpress(...managers))
    return app
  }
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    logger: false,
  })
  await app.register(latchkeyFastify(...managers))
  return app
}

/** The matrix app on NestJS, on its Express or its Fastify platform. */
export function nestFramework(platform: Platform): Framework {
  return {
    name: `nest 12 (${platform})`,
    async start(manager, auth) {
      const app = await createNestApp(platform, controller(platform, auth), [manager, auth])
      await app.listen(0, '127.0.0.1')
      const { port } = app.getHttpServer().address() as AddressInfo
      return { url: `http://127.0.0.1:${port}`, close: () => app.close() }
    },
  }
}
