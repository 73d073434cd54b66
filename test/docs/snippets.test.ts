// Every ```ts / ```typescript / ```js / ```mjs block of README.md and docs/*.md is
// type-checked as a user's fresh strict project would (strict, NodeNext, ES2022,
// lib ES2023 + ESNext.Disposable, types node), against a fresh build of the package.
// Each block is marked by an HTML comment on the line just before its fence
// (invisible when the markdown is rendered):
//
//   <!-- snippet: program probe="POST /cart?item=apple 200 apple; GET /cart 200 apple" -->
//     A complete program: imports everything it uses and listens on
//     `Number(process.env.PORT ?? 3000)`. It is also run (`node --import tsx`, as on
//     Node 20) with PORT set, and probed over HTTP with one cookie jar: steps
//     `METHOD PATH [FORM] STATUS [TEXT]`, separated by `;`, where FORM
//     (`a=1&b=2`) is sent urlencoded and TEXT must occur in the body or Location.
//     `needs=redis` / `needs=postgres` / `needs=mysql` starts that server first and passes
//     REDIS_URL / DATABASE_URL (skipped without the binaries, failed under CI).
//     Every program gets a fresh SESSION_KEY (a CookieStore key).
//   <!-- snippet: fragment context=NAME -->
//     Not meant to run. Type-checked with everything test/docs/contexts/NAME.ts
//     exports imported (what the fragment assumes: `app`, `req`, …); without
//     `context`, the fragment stands alone.
//
// Also: `as=FILE` names the block's file (other blocks import it, e.g.
// `./login.js`), `in=DIR` places it as if in that directory of the repository
// (its relative imports resolve there), `project=next` / `project=nest` adds the
// compiler options of such a project (Nest's: experimentalDecorators and
// emitDecoratorMetadata). Values may be bare, "quoted" or 'quoted'.
// An unmarked block fails. Blocks with the same `declare module 'latchkey'`
// blocks (their own and their context's) share one program; JavaScript blocks are
// checked as `// @ts-check` checks them, implicit any allowed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKey } from '../../src/stores/cookie/index.js'
import { describeWithMySQL, type MySQLServer, startMySQL } from '../support/mysql-server.js'
import {
  describeWithPostgres,
  type PostgresServer,
  startPostgres,
} from '../support/postgres-server.js'
import { describeRedis, type RedisServer, startRedis } from '../support/redis-server.js'
import {
  type Block,
  createWorkspace,
  loadBlocks,
  Program,
  parseProbe,
  probe,
  typecheck,
  type Workspace,
} from './snippets.js'

const blocks = await loadBlocks()
let workspace: Workspace | undefined
let errors = new Map<Block, string[]>()

beforeAll(async () => {
  workspace = await createWorkspace(blocks)
  errors = await typecheck(blocks, workspace)
}, 120_000)

afterAll(async () => {
  await workspace?.remove()
})

for (const doc of new Set(blocks.map((block) => block.doc))) {
  describe(doc, () => {
    for (const block of blocks.filter((b) => b.doc === doc)) {
      it(`${block.where} is marked program or fragment`, () => {
        if (!block.kind)
          throw new Error(
            `${block.where}: mark it program or fragment (<!-- snippet: program --> or <!-- snippet: fragment context=NAME --> on the line before the fence)`,
          )
        const { needs, probe } = block.attributes
        if (needs !== undefined && !['redis', 'postgres', 'mysql'].includes(needs))
          throw new Error(`${block.where}: needs=${needs}: redis, postgres or mysql`)
        if (block.kind === 'program') parseProbe(probe ?? '')
        else if (needs !== undefined || probe !== undefined)
          throw new Error(`${block.where}: needs and probe are for programs`)
      })
      it(`${block.where} (${block.kind ?? 'unmarked'}) type-checks`, () => {
        expect(errors.get(block)?.join('\n') ?? 'not checked').toBe('')
      })
    }
  })
}

async function runProgram(block: Block, env: Record<string, string>): Promise<void> {
  if (!workspace) throw new Error('no workspace')
  const steps = parseProbe(block.attributes.probe ?? '')
  const program = await Program.start(workspace.path(block), workspace.dir, {
    SESSION_KEY: generateKey(),
    ...env,
  })
  try {
    const failure = await probe(program.url, steps)
    if (failure) throw new Error(`${block.where}: ${failure}\n${program.output.trim()}`)
  } finally {
    await program.stop()
  }
}

const programs = blocks.filter((block) => block.kind === 'program')

describe('programs run and answer their probes', () => {
  for (const block of programs.filter((b) => !b.attributes.needs)) {
    it(
      `${block.where}: ${block.attributes.probe ?? '(starts)'}`,
      () => runProgram(block, {}),
      60_000,
    )
  }
})

describeRedis('programs that need Redis', () => {
  let redis: RedisServer | undefined
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(() => redis?.dispose())
  for (const block of programs.filter((b) => b.attributes.needs === 'redis')) {
    it(
      `${block.where}: ${block.attributes.probe ?? '(starts)'}`,
      () => runProgram(block, { REDIS_URL: redis?.server.url ?? '' }),
      60_000,
    )
  }
})

describeWithPostgres('programs that need PostgreSQL', () => {
  let postgres: PostgresServer | undefined
  beforeAll(async () => {
    postgres = await startPostgres()
  })
  afterAll(() => postgres?.stop())
  for (const block of programs.filter((b) => b.attributes.needs === 'postgres')) {
    it(`${block.where}: ${block.attributes.probe ?? '(starts)'}`, () => {
      const c = postgres?.connection
      return runProgram(block, {
        DATABASE_URL: c ? `postgres://${c.user}@${c.host}:${c.port}/${c.database}` : '',
      })
    }, 60_000)
  }
})

describeWithMySQL('programs that need MySQL', () => {
  let mysql: MySQLServer | undefined
  beforeAll(async () => {
    mysql = await startMySQL()
  })
  afterAll(() => mysql?.stop())
  for (const block of programs.filter((b) => b.attributes.needs === 'mysql')) {
    it(`${block.where}: ${block.attributes.probe ?? '(starts)'}`, () => {
      const c = mysql?.connection
      return runProgram(block, {
        DATABASE_URL: c
          ? `mysql://${c.user}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${c.database}`
          : '',
      })
    }, 60_000)
  }
})
