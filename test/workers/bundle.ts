import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Bundles a worker as Wrangler would: the file `entry` (a path), or the module
 * `{ contents }` resolved from the repository root. Wrangler leaves the
 * runtime's own modules (`node:*`, `cloudflare:*`) to workerd.
 */
export async function bundleWorker(source: string | { contents: string }): Promise<string> {
  const result = await build({
    ...(typeof source === 'string'
      ? { entryPoints: [source] }
      : { stdin: { contents: source.contents, resolveDir: ROOT, loader: 'ts' as const } }),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['node:*', 'cloudflare:*'],
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]?.text as string
}
