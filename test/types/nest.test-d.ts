// Compile-only: `npm run typecheck` proves latchkey/nest's types against Nest's own.
import type { CanActivate, ExceptionFilter } from '@nestjs/common'
import { NotFoundException, UseFilters, UseGuards } from '@nestjs/common'
import { loginRequired, SessionErrorFilter } from '../../src/adapters/nest/index.js'
import { AuthSessions, type SessionError, Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const auth = new AuthSessions({ store: new MemoryStore() })

const guard: CanActivate = loginRequired(auth, { redirectTo: '/login' })
UseGuards(guard)
UseGuards(
  loginRequired(auth, {
    onUnauthenticated: (context) => {
      throw new NotFoundException(context.getHandler().name)
    },
  }),
)
const filter: ExceptionFilter<SessionError> = new SessionErrorFilter()
UseFilters(filter)

// @ts-expect-error the guard takes an AuthSessions manager
loginRequired(new Sessions({ store: new MemoryStore() }))
// @ts-expect-error redirectStatus is 302 or 303
loginRequired(auth, { redirectStatus: 301 })
