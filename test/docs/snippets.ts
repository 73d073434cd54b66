import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import ts from 'typescript'
import { freePort } from '../support/database-server.js'
import { CookieJar } from '../support/http.js'

export const root = fileURLToPath(new URL('../../', import.meta.url))
const contextsDir = fileURLToPath(new URL('./contexts/', import.meta.url))

type Language = 'ts' | 'tsx' | 'js' | 'mjs'

const LANGUAGES: Record<string, Language> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
  js: 'js',
  javascript: 'js',
  mjs: 'mjs',
}

/** One fenced TypeScript/JavaScript block of a markdown file. */
export interface Block {
  /** `docs/redis.md:23`: the file and the line of the opening fence. */
  readonly where: string
  readonly doc: string
  /** Line (1-based) of the block's first code line. */
  readonly firstLine: number
  readonly language: Language
  readonly code: string
  /** `undefined`: unmarked (a failure). */
  readonly kind: 'program' | 'fragment' | undefined
  readonly attributes: Readonly<Record<string, string>>
}

/** `<!-- snippet: program probe="GET / 200" -->` → kind and attributes. */
export function parseMarker(line: string): Pick<Block, 'kind' | 'attributes'> | undefined {
  const marker = /^<!--\s*snippet:\s*(program|fragment)\b(.*?)-->$/.exec(line.trim())
  if (!marker) return undefined
  const attributes: Record<string, string> = {}
  for (const m of (marker[2] ?? '').matchAll(/([\w-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))/g)) {
    attributes[m[1] as string] = m[2] ?? m[3] ?? m[4] ?? ''
  }
  return { kind: marker[1] as 'program' | 'fragment', attributes }
}

/** Every ts/js block of a markdown text, with the marker on the line before its fence. */
export function extractBlocks(doc: string, text: string): Block[] {
  const lines = text.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] as string)
    if (!open) continue
    const [, indent = '', fence = '', info = ''] = open
    let end = i + 1
    while (end < lines.length && !(lines[end] as string).trim().startsWith(fence)) end++
    const language = LANGUAGES[info.toLowerCase()]
    if (language) {
      const code = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
        .join('\n')
      const marker = i > 0 ? parseMarker(lines[i - 1] as string) : undefined
      blocks.push({
        where: `${doc}:${i + 1}`,
        doc,
        firstLine: i + 2,
        language,
        code: `${code}\n`,
        kind: marker?.kind,
        attributes: marker?.attributes ?? {},
      })
    }
    i = end
  }
  return blocks
}

/** README.md and docs/*.md, in that order. */
export async function loadBlocks(): Promise<Block[]> {
  const docs = [
    'README.md',
    ...(await readdir(join(root, 'docs')))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `docs/${name}`),
  ]
  const blocks: Block[] = []
  for (const doc of docs)
    blocks.push(...extractBlocks(doc, await readFile(join(root, doc), 'utf8')))
  return blocks
}

/** The file a block is written to, relative to the workspace's `src/`. */
function fileOf(block: Block): string {
  const name =
    block.attributes.as ??
    `${block.doc.replace(/\W+/g, '-')}-${block.firstLine - 1}.${block.language}`
  return block.attributes.in ? join(block.attributes.in, name) : name
}

/** The names a context file exports (values only, for JavaScript blocks). */
function exportsOf(source: string, valuesOnly: boolean): string[] {
  const file = ts.createSourceFile('context.ts', source, ts.ScriptTarget.ES2022)
  const names: string[] = []
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text)
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      exported(statement) &&
      statement.name
    ) {
      names.push(statement.name.text)
    } else if (
      (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
      exported(statement) &&
      !valuesOnly
    ) {
      names.push(statement.name.text)
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause) &&
      !(statement.isTypeOnly && valuesOnly)
    ) {
      for (const element of statement.exportClause.elements) names.push(element.name.text)
    }
  }
  return names
}

/** `declare module 'latchkey' { … }` blocks, normalised: snippets that differ here cannot share a program. */
function augmentations(source: string): string {
  const found: string[] = []
  const start = /declare module ['"]latchkey['"]\s*\{/g
  for (let m = start.exec(source); m; m = start.exec(source)) {
    let depth = 1
    let i = m.index + m[0].length
    for (; i < source.length && depth > 0; i++) {
      if (source[i] === '{') depth++
      else if (source[i] === '}') depth--
    }
    found.push(
      source
        .slice(m.index, i)
        .replace(/\/\/.*$/gm, '')
        .replace(/\s+/g, ' '),
    )
  }
  return found.sort().join('\n')
}

/** A directory of snippet files that resolves `latchkey` (freshly built) and the repo's packages. */
export interface Workspace {
  readonly dir: string
  /** Absolute path of a block's file. */
  path(block: Block): string
  remove(): Promise<void>
}

const run = promisify(execFile)

/**
 * Builds the package as `npm run build` does, into a private directory under
 * node_modules/.cache (never the shared dist/, which other suites rebuild), and
 * writes every block into a temp dir whose node_modules links `latchkey` to that
 * build and everything else to the repository's node_modules.
 */
export async function createWorkspace(blocks: Block[]): Promise<Workspace> {
  const build = join(root, 'node_modules/.cache', `latchkey-docs-${randomBytes(6).toString('hex')}`)
  await mkdir(build, { recursive: true })
  await cp(join(root, 'package.json'), join(build, 'package.json'))
  await cp(join(root, 'sql'), join(build, 'sql'), { recursive: true })
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  await run(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(build, 'dist')],
    { cwd: root },
  )

  const dir = await mkdtemp(join(tmpdir(), 'latchkey-docs-'))
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n')
  await mkdir(join(dir, 'node_modules'))
  for (const entry of await readdir(join(root, 'node_modules'))) {
    if (entry === '.bin' || entry === '.cache' || entry === 'latchkey') continue
    await symlink(join(root, 'node_modules', entry), join(dir, 'node_modules', entry))
  }
  await symlink(build, join(dir, 'node_modules/latchkey'))

  const src = join(dir, 'src')
  await mkdir(join(src, 'contexts'), { recursive: true })
  for (const context of await readdir(contextsDir))
    await cp(join(contextsDir, context), join(src, 'contexts', context))
  const linked = new Set<string>()
  for (const block of blocks) {
    const file = join(src, fileOf(block))
    await mkdir(dirname(file), { recursive: true })
    // `in=bench/contestants`: the block's relative imports resolve as in that
    // directory of the repository (the entries of its parent are linked, never
    // its own: the block is written there, never through a link into the repo).
    const within = block.attributes.in
    if (within && !linked.has(within)) {
      linked.add(within)
      for (const entry of await readdir(join(root, dirname(within)))) {
        if (entry === basename(within)) continue
        await symlink(join(root, dirname(within), entry), join(src, dirname(within), entry))
      }
    }
    await writeFile(file, await sourceOf(block, file, src))
  }
  return {
    dir,
    path: (block) => join(src, fileOf(block)),
    async remove() {
      await rm(dir, { recursive: true, force: true })
      await rm(build, { recursive: true, force: true })
    },
  }
}

/** The line put before a fragment's code: one import of everything its context exports. */
async function sourceOf(block: Block, file: string, src: string): Promise<string> {
  const name = block.attributes.context
  const context = await contextSource(block)
  if (!name || context === undefined) return block.code
  const names = exportsOf(context, !isTypeScript(block))
  let from = relative(dirname(file), join(src, 'contexts', `${name}.js`))
  if (!from.startsWith('.')) from = `./${from}`
  return `import { ${names.join(', ')} } from '${from}'\n${block.code}`
}

function isTypeScript(block: Block): boolean {
  return block.language === 'ts' || block.language === 'tsx'
}

async function contextSource(block: Block): Promise<string | undefined> {
  const name = block.attributes.context
  if (!name) return undefined
  return readFile(join(contextsDir, `${name}.ts`), 'utf8').catch(() => undefined)
}

/** Compiler options of a user's fresh strict project (no extra flags of this repository). */
export const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  types: ['node'],
  moduleDetection: ts.ModuleDetectionKind.Force,
  allowJs: true,
  checkJs: true,
  skipLibCheck: true,
  noEmit: true,
}

/** The options of `project=next` blocks: those of `create-next-app`'s tsconfig that differ. */
const NEXT_PROJECT: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.Preserve,
}

/** The options of `project=nest` blocks: the decorators of Nest's own tsconfig. */
const NEST_PROJECT: ts.CompilerOptions = {
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
}

export const PROJECTS: Record<string, ts.CompilerOptions> = {
  next: NEXT_PROJECT,
  nest: NEST_PROJECT,
}

/**
 * Type-checks every block; returns each block's errors as `doc.md:line: message`.
 * Blocks are grouped by their `declare module 'latchkey'` augmentations (which are
 * global to a program, so two different ones conflict); each group is one program,
 * and the groups share parsed library files.
 */
export async function typecheck(
  blocks: Block[],
  workspace: Workspace,
): Promise<Map<Block, string[]>> {
  const groups = new Map<string, Block[]>()
  const contexts = new Map<Block, string | undefined>()
  for (const block of blocks) {
    const context = await contextSource(block)
    contexts.set(block, context)
    // JavaScript blocks have no annotations: checked as a JS file with
    // `// @ts-check` is (everything but implicit any), in programs of their own.
    const key = `${isTypeScript(block) ? 'ts' : 'js'} ${block.attributes.project ?? ''}\n${augmentations(block.code + (context ?? ''))}`
    groups.set(key, [...(groups.get(key) ?? []), block])
  }
  const host = ts.createCompilerHost(COMPILER_OPTIONS)
  const cache = new Map<string, ts.SourceFile | undefined>()
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, options, onError, shouldCreate) => {
    const key = `${fileName}\0${typeof options === 'object' ? options.impliedNodeFormat : ''}`
    if (!cache.has(key)) cache.set(key, getSourceFile(fileName, options, onError, shouldCreate))
    return cache.get(key)
  }
  const results = new Map<Block, string[]>()
  let previous: ts.Program | undefined
  for (const [key, group] of groups) {
    const [language, project] = key.split(/[ \n]/)
    if (project && !PROJECTS[project]) throw new Error(`no snippet project=${project}`)
    const options = {
      ...COMPILER_OPTIONS,
      ...(language === 'js' ? { noImplicitAny: false } : {}),
      ...(project ? PROJECTS[project] : {}),
    }
    const files = new Map(group.map((block) => [workspace.path(block), block]))
    const program: ts.Program = ts.createProgram({
      rootNames: [...files.keys()],
      options,
      host,
      ...(previous ? { oldProgram: previous } : {}),
    })
    previous = program
    const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]
    for (const [file, block] of files) {
      const source = program.getSourceFile(file)
      if (!source) {
        results.set(block, [`${block.where}: not compiled`])
        continue
      }
      const offset = block.attributes.context ? 1 : 0
      const diagnostics = [
        ...global,
        ...program.getSyntacticDiagnostics(source),
        ...program.getSemanticDiagnostics(source),
      ]
      if (block.attributes.context && contexts.get(block) === undefined)
        results.set(block, [
          `${block.where}: no context file test/docs/contexts/${block.attributes.context}.ts`,
        ])
      else {
        // The context's own errors too: it is checked only here (tsconfig.json excludes it).
        const name = block.attributes.context
        const context = name
          ? program.getSourceFile(join(workspace.dir, 'src/contexts', `${name}.ts`))
          : undefined
        const inContext = context
          ? [
              ...program.getSyntacticDiagnostics(context),
              ...program.getSemanticDiagnostics(context),
            ]
          : []
        results.set(block, [
          ...diagnostics.map((d) => describeDiagnostic(d, block, offset)),
          ...inContext.map(
            (d) =>
              `test/docs/contexts/${name}.ts: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
          ),
        ])
      }
    }
  }
  return results
}

function describeDiagnostic(diagnostic: ts.Diagnostic, block: Block, offset: number): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
  if (!diagnostic.file || diagnostic.start === undefined) return `${block.where}: ${message}`
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
  const where =
    line < offset
      ? `${block.where} (its context import)`
      : `${block.doc}:${block.firstLine + line - offset}:${character + 1}`
  return `${where}: TS${diagnostic.code}: ${message}`
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** A program started as a user starts it on Node 20: `node --import tsx file.ts`. */
export class Program {
  readonly url: string
  readonly #child: ChildProcess
  readonly #output: () => string
  readonly #exited: Promise<void>

  private constructor(url: string, child: ChildProcess, output: () => string) {
    this.url = url
    this.#child = child
    this.#output = output
    this.#exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('exit', () => resolve())
    })
  }

  /** Starts `file` with `PORT` set and waits until it accepts connections. */
  static async start(file: string, cwd: string, env: Record<string, string>): Promise<Program> {
    const port = await freePort()
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd,
      env: { ...process.env, ...env, PORT: String(port), NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    let exited: string | undefined
    child.once('exit', (code, signal) => {
      exited = `exited (${code ?? signal})`
    })
    const program = new Program(`http://127.0.0.1:${port}`, child, () => output)
    const deadline = Date.now() + 20_000
    while (!(await accepts(port))) {
      if (exited !== undefined || Date.now() > deadline) {
        await program.stop()
        throw new Error(
          `the program ${exited ?? 'did not listen on PORT within 20 s'}:\n${output.trim()}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return program
  }

  /** What the program printed so far. */
  get output(): string {
    return this.#output()
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM')
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), 3000)
      await this.#exited
      clearTimeout(timer)
    }
  }
}

/** One step of a probe: `POST /login username=demo&password=pw 303 /account`. */
export interface Step {
  readonly text: string
  readonly method: string
  readonly path: string
  readonly form: string | undefined
  readonly status: number
  readonly expect: string | undefined
}

/** `METHOD PATH [FORM] STATUS [TEXT]`, steps separated by `;`. */
export function parseProbe(probe: string): Step[] {
  return probe
    .split(';')
    .map((step) => step.trim())
    .filter(Boolean)
    .map((text) => {
      const m = /^([A-Z]+)\s+(\/\S*)\s+(?:(\S*=\S*)\s+)?(\d{3})(?:\s+(.+))?$/.exec(text)
      if (!m) throw new Error(`bad probe step "${text}": METHOD PATH [FORM] STATUS [TEXT]`)
      return {
        text,
        method: m[1] as string,
        path: m[2] as string,
        form: m[3],
        status: Number(m[4]),
        expect: m[5],
      }
    })
}

/**
 * Runs the steps in order with one cookie jar, as a browser would; returns a
 * failure message, or `undefined` when every step answered as expected.
 */
export async function probe(url: string, steps: Step[]): Promise<string | undefined> {
  const jar = new CookieJar()
  for (const step of steps) {
    const reply = await jar.fetch(`${url}${step.path}`, {
      method: step.method,
      ...(step.form === undefined
        ? {}
        : {
            body: step.form,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
    })
    const location = reply.headers.get('location') ?? ''
    if (
      reply.status !== step.status ||
      (step.expect !== undefined &&
        !reply.body.includes(step.expect) &&
        !location.includes(step.expect))
    ) {
      return `"${step.text}" answered ${reply.status}${location ? ` (Location: ${location})` : ''}: ${reply.body.slice(0, 300)}`
    }
  }
  return undefined
}
