import type { ServerResponse } from 'node:http'
import { hasResponded } from '../express/before-headers.js'

/** What Nest's Fastify platform hands a filter or a guard as the response. */
interface FastifyReplyLike {
  raw: ServerResponse
  sent: boolean
  code(status: number): FastifyReplyLike
  header(name: string, value: string): FastifyReplyLike
  send(body?: string): FastifyReplyLike
}

/** Express's `res` (a Node response) or Fastify's `reply`: Nest's two HTTP platforms. */
export type NestResponse = ServerResponse | FastifyReplyLike

function isReply(res: NestResponse): res is FastifyReplyLike {
  return 'raw' in res && typeof (res as FastifyReplyLike).send === 'function'
}

export function setHeader(res: NestResponse, name: string, value: string): void {
  if (isReply(res)) res.header(name, value)
  else res.setHeader(name, value)
}

/** Whether the app has answered already (then nothing more can be sent). */
export function answered(res: NestResponse): boolean {
  return isReply(res) ? res.sent : hasResponded(res)
}

export function send(
  res: NestResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  if (isReply(res)) {
    res.code(status)
    for (const [name, value] of Object.entries(headers)) res.header(name, value)
    res.send(body)
    return
  }
  res.statusCode = status
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.end(body)
}
