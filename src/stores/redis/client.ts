import { createHash } from 'node:crypto'
import { SessionConfigError } from '../../core/errors.js'

/**
 * An ioredis client: `new Redis()` or `new Redis.Cluster([...])` (ioredis 5+).
 * Typed by the methods latchkey calls, so no Redis package is a dependency.
 */
export interface IoRedisLike {
  call(command: string, ...args: Array<string | number>): Promise<unknown>
}

/** A node-redis client: `createClient()` from `redis` v5+. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>
}

/** A node-redis cluster client: `createCluster()` from `redis` v5+. */
export interface NodeRedisClusterLike {
  readonly masters: readonly unknown[]
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): Promise<unknown>
}

/** Any client {@link RedisStore} accepts. */
export type RedisClientLike = IoRedisLike | NodeRedisClientLike | NodeRedisClusterLike

/** Sends one command to the node owning `key`. */
type Send = (key: string, args: string[]) => Promise<unknown>

/** A Lua script, run by its SHA-1 and loaded on the node the first time it is missing there. */
export interface Script {
  readonly source: string
  readonly sha: string
}

export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

/**
 * The user's client behind one small interface. The flavour is told by the
 * shape of its methods, never by class names: ioredis has `call`; node-redis
 * has `sendCommand`, and its cluster client also lists `masters`.
 */
export class RedisCommands {
  readonly #send: Send

  constructor(client: unknown) {
    this.#send = sender(client)
  }

  /** Runs a plain command whose first key is `key`. */
  command(key: string, args: string[]): Promise<unknown> {
    return this.#send(key, args)
  }

  /** Runs a script with `keys` (all in one slot) and `args`, in one round trip when it is cached. */
  async eval(script: Script, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args]
    const key = keys[0] ?? ''
    try {
      return await this.#send(key, ['EVALSHA', script.sha, ...tail])
    } catch (error) {
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error
      return this.#send(key, ['EVAL', script.source, ...tail])
    }
  }
}

function sender(client: unknown): Send {
  const c = client as Partial<IoRedisLike & NodeRedisClientLike & NodeRedisClusterLike> | null
  if (typeof c?.call === 'function') {
    const io = c as IoRedisLike
    return (_key, [command = '', ...args]) => io.call(command, ...args)
  }
  if (typeof c?.sendCommand === 'function') {
    if (Array.isArray(c.masters)) {
      const cluster = c as NodeRedisClusterLike
      return (key, args) => cluster.sendCommand(key, false, args)
    }
    const single = c as NodeRedisClientLike
    return (_key, args) => single.sendCommand(args)
  }
  throw new SessionConfigError(
    'RedisStore needs a node-redis (`redis` v5+) or ioredis client (or cluster client) as `client`',
  )
}
