import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { hashSessionId } from '../../src/crypto/ids.js'
import { AuthSessions, type SessionStore, sessionReference } from '../../src/index.js'
import { MySQLStore } from '../../src/stores/mysql/index.js'
import { RedisStore } from '../../src/stores/redis/index.js'
import { poolOn } from '../sql/mysql-target.js'
import { describeWithMySQL, startMySQL } from '../support/mysql-server.js'
import { describeRedis, startRedis } from '../support/redis-server.js'
import { ROOT, runCli } from './run-cli.js'

/**
 * A project with only `client` installed (linked from ours), and the CLI's
 * sources: the CLI must find that client when the first choice is missing.
 */
async function projectWith(client: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `latchkey-cli-${client}-`))
  await cp(join(ROOT, 'src'), join(dir, 'src'), { recursive: true })
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n')
  await mkdir(join(dir, 'node_modules'))
  await symlink(join(ROOT, 'node_modules', client), join(dir, 'node_modules', client), 'dir')
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

async function loginOnce(store: SessionStore, user: string): Promise<string> {
  const auth = new AuthSessions({ store, warnLock: false })
  const session = auth.open({ cookie: undefined, userAgent: 'Driver/1' })
  await session.login({ id: user })
  await session.commit()
  return hashSessionId(session.id ?? '')
}

function cliIn(dir: string, args: string[]) {
  return runCli(['sessions', ...args], { cwd: dir, entry: join(dir, 'src/cli.ts') })
}

describeRedis('latchkey sessions over node-redis, when ioredis is not installed', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>
  let client: Redis
  let project: Awaited<ReturnType<typeof projectWith>>
  let key: string
  beforeAll(async () => {
    redis = await startRedis()
    client = new Redis(redis.server.url)
    key = await loginOnce(new RedisStore({ client }), 'ada')
    project = await projectWith('redis')
  })
  afterAll(async () => {
    client?.disconnect()
    await redis?.dispose()
    await project?.remove()
  })

  it('lists and revokes', async () => {
    const url = redis.server.url
    const listed = await cliIn(project.dir, ['list', '--user', 'ada', '--url', url, '--json'])
    expect(listed.stderr).toBe('')
    expect(
      JSON.parse(listed.stdout).sessions.map((s: { reference: string }) => s.reference),
    ).toEqual([sessionReference(key)])
    const revoked = await cliIn(project.dir, ['revoke', '--user', 'ada', '--url', url])
    expect(revoked).toMatchObject({ code: 0, stdout: 'revoked 1 session of user ada\n' })
    expect(await new RedisStore({ client }).get(key)).toBeUndefined()
  })
})

describeWithMySQL(
  'latchkey sessions over the mariadb connector, when mysql2 is not installed',
  () => {
    let server: Awaited<ReturnType<typeof startMySQL>>
    let pool: ReturnType<typeof poolOn>
    let project: Awaited<ReturnType<typeof projectWith>>
    beforeAll(async () => {
      server = await startMySQL()
      pool = poolOn(server.connection, 2)
      const store = new MySQLStore({ client: pool, sweepInterval: 0 })
      await store.migrate()
      await loginOnce(store, 'grace')
      project = await projectWith('mariadb')
    })
    afterAll(async () => {
      await pool?.end()
      await server?.stop()
      await project?.remove()
    })

    it('counts and sweeps', async () => {
      const { host, port, user, password, database } = server.connection
      const url = `mysql://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`
      const stats = await cliIn(project.dir, ['stats', '--url', url, '--json'])
      expect(stats.stderr).toBe('')
      expect(JSON.parse(stats.stdout)).toMatchObject({ store: 'mysql', live: 1, authenticated: 1 })
      const swept = await cliIn(project.dir, ['sweep', '--url', url, '--json'])
      expect(JSON.parse(swept.stdout)).toMatchObject({ store: 'mysql', swept: 0 })
    })
  },
)
