import { createHash } from 'node:crypto'
import {
  isSessionError,
  messageOf,
  SessionConfigError,
  type SessionError,
  SessionStoreError,
  SessionUsageError,
} from '../../core/errors.js'
import { DeadlineExceeded, withDeadline } from '../shared/deadline.js'

/**
 * An ioredis client: `new Redis()` or `new Redis.Cluster([...])` (ioredis 5+).
 * Typed by the methods latchkey calls, so no Redis package is a dependency.
 */
export interface IoRedisLike {
  call(command: string, ...args: Array<string | number>): Promise<unknown>
  /** ioredis's `Cluster` only: its nodes, for commands that scan each one (`stats`, `sweep`). */
  nodes?(role: 'master'): IoRedisLike[]
}

/**
 * What the store passes node-redis with each command: its deadline's abort
 * signal, in place of the client's own per-command timeout.
 */
export interface NodeRedisCommandOptions {
  abortSignal?: AbortSignal
  timeout?: number | undefined
}

/** A node-redis client: `createClient()` from `redis` v5+. */
export interface NodeRedisClientLike {
  sendCommand(args: string[], options?: NodeRedisCommandOptions): Promise<unknown>
}

/** A node-redis cluster client: `createCluster()` from `redis` v5+. */
export interface NodeRedisClusterLike {
  readonly masters: readonly unknown[]
  /** The client of one of `masters`, for commands that scan each one (`stats`, `sweep`). */
  nodeClient?(node: never): NodeRedisClientLike | Promise<NodeRedisClientLike>
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>
}

/** Any client {@link RedisStore} accepts. */
export type RedisClientLike = IoRedisLike | NodeRedisClientLike | NodeRedisClusterLike

/** Sends one command to the node owning `key`. */
type Send = (key: string, args: string[], signal: AbortSignal) => Promise<unknown>

/** Sends one command to one node: for commands that name no key (SCAN). */
type NodeSend = (args: string[], signal: AbortSignal) => Promise<unknown>

/** How the store talks to the client: by key, or to each node (every master of a cluster). */
interface Sender {
  send: Send
  nodes: () => Promise<NodeSend[]>
}

/** Keys one SCAN call asks for. */
const SCAN_COUNT = '1000'

/** A Lua script, run by its SHA-1 and loaded on the node the first time it is missing there. */
export interface Script {
  readonly source: string
  readonly sha: string
}

export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

/**
 * The user's client behind one small interface, every command under the
 * store's deadline. The flavour is told by the shape of its methods, never by
 * class names: ioredis has `call`; node-redis has `sendCommand`, and its
 * cluster client also lists `masters`.
 */
export class RedisCommands {
  readonly #send: Send
  readonly #nodes: () => Promise<NodeSend[]>
  readonly #timeoutMs: number

  /** @param timeoutMs how long a command may take before it fails with `SessionStoreError` */
  constructor(client: unknown, timeoutMs = 2000) {
    const { send, nodes } = sender(client)
    this.#send = send
    this.#nodes = nodes
    this.#timeoutMs = timeoutMs
  }

  /**
   * Runs a plain command whose first key is `key`.
   * @throws {SessionStoreError} when it fails or misses the deadline; `operation` names it.
   */
  command(operation: string, key: string, args: string[]): Promise<unknown> {
    return this.#run(operation, key, args, undefined)
  }

  /**
   * Runs a script with `keys` (all in one slot) and `args`, in one round trip when it is cached.
   * @throws {SessionStoreError} when it fails or misses the deadline; `operation` names it.
   */
  eval(operation: string, script: Script, keys: string[], args: string[]): Promise<unknown> {
    const command = ['EVALSHA', script.sha, String(keys.length)]
    for (const key of keys) command.push(key)
    for (const arg of args) command.push(arg)
    return this.#run(operation, keys[0] ?? '', command, script)
  }

  /**
   * The keys matching `pattern`, one SCAN page at a time, on every node (each
   * master of a cluster), each call under the deadline. A key may come twice
   * (SCAN's promise), so callers must not mind.
   */
  async *scan(operation: string, pattern: string): AsyncGenerator<string[]> {
    const nodes = await this.#deadline(operation, () => this.#nodes())
    for (const node of nodes) {
      let cursor = '0'
      do {
        const args = ['SCAN', cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT]
        const reply = await this.#deadline(operation, (signal) => node(args, signal))
        const [next, keys] = reply as [unknown, unknown[]]
        cursor = String(next)
        yield keys.map(String)
      } while (cursor !== '0')
    }
  }

  /** One command under the deadline; a script missing on its node is loaded by sending it whole. */
  #run(operation: string, key: string, args: string[], script: Script | undefined) {
    return this.#deadline(operation, async (signal) => {
      try {
        return await this.#send(key, args, signal)
      } catch (error) {
        if (script === undefined || !messageOf(error).includes('NOSCRIPT')) throw error
        args[0] = 'EVAL'
        args[1] = script.source
        return await this.#send(key, args, signal)
      }
    })
  }

  async #deadline<T>(operation: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(this.#timeoutMs, work)
    } catch (error) {
      throw this.#storeError(operation, error)
    }
  }

  #storeError(operation: string, error: unknown): SessionError {
    if (error instanceof DeadlineExceeded)
      return new SessionStoreError(
        'redis',
        `${operation}: no answer from Redis within ${this.#timeoutMs / 1000}s`,
      )
    if (isSessionError(error)) return error
    return new SessionStoreError('redis', `${operation} failed: ${messageOf(error)}`, {
      cause: error,
    })
  }
}

function sender(client: unknown): Sender {
  const c = client as Partial<IoRedisLike & NodeRedisClientLike & NodeRedisClusterLike> | null
  if (typeof c?.call === 'function') {
    const io = c as IoRedisLike
    const call =
      (node: IoRedisLike): NodeSend =>
      ([command = '', ...args]) =>
        node.call(command, ...args)
    return {
      send: (_key, args, signal) => call(io)(args, signal),
      nodes: async () => (io.nodes ? io.nodes('master').map(call) : [call(io)]),
    }
  }
  if (typeof c?.sendCommand === 'function') {
    const single =
      (node: NodeRedisClientLike): NodeSend =>
      (args, abortSignal) =>
        node.sendCommand(args, { abortSignal, timeout: undefined })
    if (Array.isArray(c.masters)) {
      const cluster = c as NodeRedisClusterLike
      return {
        send: (key, args, abortSignal) =>
          cluster.sendCommand(key, false, args, { abortSignal, timeout: undefined }),
        nodes: async () => {
          const nodeClient = cluster.nodeClient?.bind(cluster)
          if (nodeClient === undefined)
            throw new SessionUsageError('scanning a node-redis cluster needs its nodeClient()')
          const clients = await Promise.all(cluster.masters.map((m) => nodeClient(m as never)))
          return clients.map(single)
        },
      }
    }
    const client = c as NodeRedisClientLike
    return {
      send: (_key, args, signal) => single(client)(args, signal),
      nodes: async () => [single(client)],
    }
  }
  throw new SessionConfigError(
    'RedisStore needs a node-redis (`redis` v5+) or ioredis client (or cluster client) as `client`',
  )
}
