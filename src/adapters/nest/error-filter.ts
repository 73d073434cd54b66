import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common'
import { errorAnswer, SessionError } from '../../core/errors.js'
import { answered, type NestResponse, send } from './response.js'

/**
 * A Nest exception filter for latchkey's errors: answers them with latchkey's
 * JSON (`SessionError.getResponse`), 503 with `Retry-After` for a lock
 * timeout or a store outage, on the Express and the Fastify platform. Nest's
 * own filter answers every error that is not an `HttpException` with 500.
 * Other exceptions are not caught: they reach the app's filters or Nest's.
 *
 * @example
 * ```ts
 * app.useGlobalFilters(new SessionErrorFilter())
 * ```
 */
export class SessionErrorFilter implements ExceptionFilter<SessionError> {
  catch(error: SessionError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<NestResponse>()
    if (answered(res)) return
    const { status, headers, body } = errorAnswer(error)
    send(res, status, headers, body)
  }
}

// The decorator applied as a call: src is compiled without experimentalDecorators.
Catch(SessionError)(SessionErrorFilter)
