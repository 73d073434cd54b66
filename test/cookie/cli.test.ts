import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Fernet } from '../../src/crypto/fernet.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
let dir = ''
let cli = ''

/** Runs the built command; resolves with its output and exit code, failing or not. */
async function latchkey(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args])
    return { stdout, stderr, code: 0 }
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number }
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code }
  }
}

beforeAll(async () => {
  // Compiled with the package's own build options, only the command and what it imports.
  dir = await mkdtemp(join(tmpdir(), 'latchkey-cli-'))
  const config = {
    extends: join(root, 'tsconfig.build.json'),
    compilerOptions: {
      rootDir: join(root, 'src'),
      outDir: join(dir, 'dist'),
      typeRoots: [join(root, 'node_modules/@types')],
      declaration: false,
      declarationMap: false,
      sourceMap: false,
    },
    files: [join(root, 'src/cli.ts')],
    include: [],
  }
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(config))
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir])
  cli = join(dir, 'dist/cli.js')
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('latchkey command', () => {
  it('is the package bin, an executable script', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'))
    expect(pkg.bin).toEqual({ latchkey: 'dist/cli.js' })
    expect(await readFile(cli, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
  })

  it('keygen prints a new Fernet key, different each time', async () => {
    const first = await latchkey('keygen')
    const second = await latchkey('keygen')
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(first.stdout).toMatch(/^[A-Za-z0-9_-]{43}=\n$/)
    expect(second.stdout).not.toBe(first.stdout)
    const fernet = new Fernet(first.stdout.trim())
    expect(fernet.decrypt(fernet.encrypt('works'))?.plaintext.toString()).toBe('works')
  })

  it.each([['--help'], ['-h'], ['help'], ['keygen', '--help']])(
    '%s prints the usage',
    async (...args) => {
      const result = await latchkey(...args)
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^Usage: latchkey <command>/)
      expect(result.stdout).toContain('keygen')
    },
  )

  it.each([[], ['nope'], ['keygen', 'extra']])('fails with the usage for %j', async (...args) => {
    const result = await latchkey(...args)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^latchkey: /)
    expect(result.stderr).toContain('Usage: latchkey <command>')
  })
})
