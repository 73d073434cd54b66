// NestJS on its Express platform, the sessions registered as Express middleware before Nest's routes.
import 'reflect-metadata'
import { NestFactory } from '@nestjs/core'
import type { NestExpressApplication } from '@nestjs/platform-express'
import { latchkey } from 'latchkey/express'
import { SessionErrorFilter } from 'latchkey/nest'
import { AppModule } from './app.module.js'
import { auth, label, sessions } from './sessions.js'

const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: ['error'] })
app.use(latchkey(sessions, auth))
app.useGlobalFilters(new SessionErrorFilter()) // 503 + Retry-After for a store outage, not Nest's 500
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1')
console.log(
  `latchkey on NestJS (Express), ${label}: ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}`,
)
