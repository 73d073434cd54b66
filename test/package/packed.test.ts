import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { publint } from 'publint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// The package as npm would publish it: built into a private directory (never the
// shared dist/), packed with `npm pack`, and unpacked as a dependency of a
// consumer directory under node_modules/.cache, so that its own dependencies and
// the frameworks' types still resolve from the repository's node_modules.

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const resolve = createRequire(import.meta.url).resolve
const dir = join(root, 'node_modules/.cache', `latchkey-pack-${randomBytes(6).toString('hex')}`)
const staged = join(dir, 'package')
const consumer = join(dir, 'consumer')
const installed = join(consumer, 'node_modules/latchkey')
let tarball = ''
let packed: string[] = []
let entries: string[] = []

beforeAll(async () => {
  await mkdir(staged, { recursive: true })
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'sql'])
    await cp(join(root, file), join(staged, file), { recursive: true })
  const tsc = resolve('typescript/bin/tsc')
  await run(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(staged, 'dist')],
    {
      cwd: root,
    },
  )
  const { stdout } = await run(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', dir],
    {
      cwd: staged,
    },
  )
  const [report] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
  if (!report) throw new Error(`npm pack printed no report: ${stdout}`)
  tarball = join(dir, report.filename)
  packed = report.files.map((file) => file.path)
  await mkdir(installed, { recursive: true })
  // The consumer's own package scope: without it, TypeScript resolves `latchkey` from the
  // types tests to the repository's package.json (a self-reference), that is to its dist/.
  await writeFile(join(consumer, 'package.json'), '{ "private": true, "type": "module" }\n')
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  const manifest = JSON.parse(await readFile(join(staged, 'package.json'), 'utf8'))
  entries = Object.keys(manifest.exports as Record<string, unknown>)
}, 180_000)

afterAll(() => rm(dir, { recursive: true, force: true }))

describe('the packed package', () => {
  it('ships the built code, the SQL and the license, without source maps or sources', () => {
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'package.json', 'dist/index.js']))
    expect(packed).toContain('dist/adapter-kit.d.ts')
    expect(packed.filter((path) => path.endsWith('.map'))).toEqual([])
    expect(packed.filter((path) => path.startsWith('src/'))).toEqual([])
  })

  it('keeps no @internal member in its declarations', async () => {
    const declarations = packed.filter((path) => path.endsWith('.d.ts'))
    expect(declarations.length).toBeGreaterThan(10)
    for (const path of declarations) {
      const text = await readFile(join(installed, path), 'utf8')
      expect(text, path).not.toContain('@internal')
    }
    const session = await readFile(join(installed, 'dist/core/session.d.ts'), 'utf8')
    expect(session).not.toContain('lockedWrite')
  })

  it('loads every entry but the Workers-only one with require() from a CommonJS file (Node >= 20.19)', async () => {
    // The Durable Object class extends workerd's built-in `cloudflare:workers`; test/workers loads it there.
    const nodeEntries = entries.filter((entry) => entry !== './stores/durable-object')
    const script = join(consumer, 'require-all.cjs')
    await writeFile(
      script,
      `const entries = ${JSON.stringify(nodeEntries)}
const loaded = {}
for (const entry of entries) loaded[entry] = Object.keys(require('latchkey' + entry.slice(1)))
process.stdout.write(JSON.stringify(loaded))
`,
    )
    const { stdout } = await run(process.execPath, [script], { cwd: consumer })
    const loaded = JSON.parse(stdout) as Record<string, string[]>
    expect(Object.keys(loaded)).toEqual(nodeEntries)
    for (const entry of nodeEntries) expect(loaded[entry], entry).not.toEqual([])
    expect(loaded['.']).toEqual(expect.arrayContaining(['Sessions', 'AuthSessions', 'sitePath']))
    expect(loaded['.']).not.toContain('checkLogin')
    expect(loaded['./adapter-kit']).toEqual(
      expect.arrayContaining(['checkLogin', 'resolveGuard', 'RequestSessions', 'finishAfter']),
    )
    expect(loaded['./fastify']).toEqual(['latchkey', 'loginRequired'])
    expect(loaded['./stores/express']).toEqual([
      'expressSessionSource',
      'fastifySessionSource',
      'fromExpressStore',
    ])
    expect(loaded['./stores/redis']).toEqual(
      expect.arrayContaining(['RedisStore', 'sanicCookiesRedisSource']),
    )
    // @nestjs/common is imported at load: a Nest app has it, and require() of it works too.
    expect(loaded['./nest']).toEqual(['SessionErrorFilter', 'loginRequired'])
  })

  it('passes publint', async () => {
    const data = await readFile(tarball)
    const { messages } = await publint({
      pkgDir: 'package', // the tarball's root folder
      pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
      strict: true,
    })
    expect(messages).toEqual([])
  }, 60_000)

  // ESM-only profile: the package is ESM, and attw's "node16 (from CJS)" check models
  // TypeScript's `module: node16`, where require() of ESM is an error; Node >= 20.19
  // (this package's floor) and TypeScript's `module: nodenext` allow it, which the
  // require() test above proves at run time. node10 resolution knows no `exports`.
  it('passes @arethetypeswrong/cli with the esm-only profile', async () => {
    const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js')
    const result = await run(
      process.execPath,
      [attw, tarball, '--profile', 'esm-only', '--format', 'json'],
      { cwd: dir },
    ).catch((error: { stdout: string }) => error)
    const { analysis } = JSON.parse(result.stdout) as {
      analysis: { problems: Array<{ kind: string; entrypoint: string; resolutionKind: string }> }
    }
    const counted = analysis.problems.filter(
      (problem) => problem.resolutionKind !== 'node10' && problem.resolutionKind !== 'node16-cjs',
    )
    expect(counted).toEqual([])
    expect(result).not.toBeInstanceOf(Error)
  }, 60_000)

  it('compiles the type tests (test/types) against the shipped declarations', async () => {
    const types = join(consumer, 'types')
    await mkdir(types)
    for (const file of await readdir(join(root, 'test/types'))) {
      const source = await readFile(join(root, 'test/types', file), 'utf8')
      await writeFile(
        join(types, file),
        source.replace(/'\.\.\/\.\.\/src\/(?:adapters\/)?([^']*?)(?:\/?index)?\.js'/g, (_, path) =>
          path ? `'latchkey/${path}'` : `'latchkey'`,
        ),
      )
    }
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: { rootDir: '.', noEmit: true, skipLibCheck: false },
        include: ['types'],
      }),
    )
    const tsc = resolve('typescript/bin/tsc')
    const result = await run(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], {
      cwd: consumer,
    }).catch((error: { stdout: string }) => error)
    // Lines starting ../ are the frameworks' own typings (seen from node_modules/.cache);
    // errors in latchkey's declarations or in the tests show as node_modules/latchkey/… or types/….
    // An error's indented lines that follow belong to it.
    const errors = result.stdout
      .split(/\n(?! )/)
      .filter((error) => error && !error.startsWith('../'))
    expect(errors).toEqual([])
    expect(result.stdout).not.toContain('latchkey/dist')
  }, 120_000)
})
