import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./app-server.ts', import.meta.url))

/** One Fastify app on RedisStore in its own OS process. */
export class AppProcess {
  readonly url: string
  readonly #child: ChildProcess
  readonly #exited: Promise<void>
  #output = ''

  private constructor(url: string, child: ChildProcess, output: string) {
    this.url = url
    this.#child = child
    this.#output = output
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
    child.stdout?.on('data', (chunk: Buffer) => {
      this.#output += chunk.toString()
    })
  }

  static async start(env: Record<string, string>): Promise<AppProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let errors = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString()
    })
    const [url, output] = await new Promise<[string, string]>((resolve, reject) => {
      let output = ''
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        const match = /listening (\S+)\n/.exec(output)
        if (match?.[1]) {
          child.stdout?.off('data', onData)
          resolve([match[1], output.slice((match.index ?? 0) + match[0].length)])
        }
      }
      child.stdout?.on('data', onData)
      child.once('exit', (code) =>
        reject(new Error(`app exited (${code}) before listening: ${errors}`)),
      )
    })
    return new AppProcess(url, child, output)
  }

  /** Resolves once the app printed `line` (e.g. `locked` from /slow-inc). */
  async waitFor(line: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!this.#output.includes(`${line}\n`)) {
      if (Date.now() > deadline) throw new Error(`the app did not print "${line}"`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal)
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return
    this.#child.kill('SIGTERM')
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 3000)
    await this.#exited
    clearTimeout(timer)
  }
}
