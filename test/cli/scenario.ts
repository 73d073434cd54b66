import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { hashSessionId, newSessionId } from '../../src/crypto/ids.js'
import { AuthSessions, type SessionStore, sessionReference } from '../../src/index.js'
import { runCli } from './run-cli.js'

/** A real store behind a URL, as the CLI reaches it and the test seeds it. */
export interface CliBackend {
  /** The URL the CLI is given. */
  url: string
  /** Naming flags (`--prefix`, `--table`) the application's store uses. */
  naming: string[]
  /** The application's store on the same data, for seeding and checking. */
  store: SessionStore
  close(): Promise<void>
}

export interface CliTarget {
  name: string
  describe: (name: string, body: () => void) => void
  start(): Promise<CliBackend>
  /** Whether `stats` counts expired records before a sweep (not Redis: it expires them itself). */
  keepsExpired: boolean
}

interface Login {
  cookie: string
  key: string
}

type Auth = AuthSessions<Record<string, unknown>, { id: string }>

async function login(auth: Auth, id: string, userAgent: string): Promise<Login> {
  const session = auth.open({ cookie: undefined, userAgent })
  await session.login({ id })
  const [setCookie = ''] = await session.commit()
  return { cookie: setCookie.split(';')[0] ?? '', key: hashSessionId(session.id ?? '') }
}

async function loggedIn(auth: Auth, cookie: string): Promise<boolean> {
  const session = auth.open({ cookie })
  const yes = await session.isLoggedIn()
  await session.commit()
  return yes
}

interface Listed {
  user: string
  sessions: Array<{
    reference: string
    createdAt: string
    lastSeenAt: string
    expiresAt: string
    userAgent?: string
  }>
}

/**
 * `latchkey sessions …` against a real store: sessions are made by logging
 * users in through AuthSessions on the application's store, and checked
 * through it after the CLI acted.
 */
export function cliScenario(target: CliTarget): void {
  target.describe(`latchkey sessions on ${target.name}`, () => {
    let backend: CliBackend
    let auth: Auth
    const users = { alice: `alice-${newSessionId()}`, bob: `bob-${newSessionId()}` }
    let firefox: Login
    let safari: Login
    let bobs: Login
    const cli = (...args: string[]) =>
      runCli(['sessions', ...args, ...backend.naming], { env: { LATCHKEY_STORE_URL: backend.url } })

    beforeAll(async () => {
      backend = await target.start()
      auth = new AuthSessions({ store: backend.store, warnLock: false })
      firefox = await login(auth, users.alice, 'Firefox/140')
      safari = await login(auth, users.alice, 'Safari/18')
      bobs = await login(auth, users.bob, 'curl/8')
      const now = Date.now()
      // A session of two days ago, and one nobody logged in to.
      await backend.store.set(
        hashSessionId(newSessionId()),
        {
          data: {},
          userId: `carol-${newSessionId()}`,
          createdAt: now - 2 * 86_400_000,
          lastSeenAt: now,
          expiresAt: now + 600_000,
        },
        600,
      )
      await backend.store.set(
        hashSessionId(newSessionId()),
        { data: { cart: [1] }, createdAt: now, lastSeenAt: now, expiresAt: now + 600_000 },
        600,
      )
    })
    afterAll(async () => {
      await auth?.close()
      await backend?.close()
    })

    it('lists a user’s sessions, each with a reference that is neither its id nor its stored key', async () => {
      const text = await cli('list', '--user', users.alice)
      expect(text.stderr).toBe('')
      expect(text.code).toBe(0)
      const lines = text.stdout.trim().split('\n')
      expect(lines[0]).toMatch(/^CREATED\s+LAST SEEN\s+EXPIRES\s+REFERENCE\s+USER AGENT$/)
      expect(lines).toHaveLength(3)
      expect(text.stdout).toContain('Firefox/140')
      expect(text.stdout).toContain('Safari/18')
      expect(text.stdout).toContain(sessionReference(firefox.key))

      const json = await cli('list', '--user', users.alice, '--json')
      expect(json.code).toBe(0)
      const listed = JSON.parse(json.stdout) as Listed
      expect(listed.user).toBe(users.alice)
      expect(listed.sessions.map((s) => s.userAgent).sort()).toEqual(['Firefox/140', 'Safari/18'])
      for (const session of listed.sessions) {
        expect(session.reference).toMatch(/^[\w-]{16}$/)
        expect([firefox.key, safari.key]).not.toContain(session.reference)
        expect(json.stdout).not.toContain(firefox.key)
        expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now())
      }
      expect(listed.sessions.map((s) => s.reference).sort()).toEqual(
        [sessionReference(firefox.key), sessionReference(safari.key)].sort(),
      )
      const nobody = await cli('list', '--user', `nobody-${newSessionId()}`)
      expect(nobody.stdout).toMatch(/^no sessions for user nobody-/)
    })

    it('counts live and logged-in sessions by age', async () => {
      const json = await cli('stats', '--json')
      expect(json.code).toBe(0)
      expect(JSON.parse(json.stdout)).toEqual({
        store: backend.store.name,
        live: 5,
        authenticated: 4,
        expired: 0,
        byAge: [
          { maxAgeSeconds: 3600, count: 4 },
          { maxAgeSeconds: 86_400, count: 0 },
          { maxAgeSeconds: 604_800, count: 1 },
          { maxAgeSeconds: 2_592_000, count: 0 },
          { maxAgeSeconds: null, count: 0 },
        ],
      })
      const text = await cli('stats')
      expect(text.code).toBe(0)
      expect(text.stdout).toMatch(/live sessions\s+5\n/)
      expect(text.stdout).toMatch(/logged in\s+4\n/)
      expect(text.stdout).toMatch(/created < 7 days ago\s+1\n/)
    })

    it('revokes one session by its reference, then all of a user’s', async () => {
      const one = await cli(
        'revoke',
        '--user',
        users.alice,
        '--session',
        sessionReference(firefox.key),
      )
      expect(one.stderr).toBe('')
      expect(one).toMatchObject({ code: 0, stdout: `revoked 1 session of user ${users.alice}\n` })
      expect(await loggedIn(auth, firefox.cookie)).toBe(false)
      expect(await loggedIn(auth, safari.cookie)).toBe(true)
      expect((await auth.listSessions(users.alice)).map((s) => s.reference)).toEqual([
        sessionReference(safari.key),
      ])

      const again = await cli(
        'revoke',
        '--user',
        users.alice,
        '--session',
        sessionReference(firefox.key),
      )
      expect(again.code).toBe(1)
      expect(again.stderr).toContain(
        `user ${users.alice} has no live session ${sessionReference(firefox.key)}`,
      )
      // Another user's reference revokes nothing.
      const foreign = await cli(
        'revoke',
        '--user',
        users.alice,
        '--session',
        sessionReference(bobs.key),
      )
      expect(foreign.code).toBe(1)
      expect(await loggedIn(auth, bobs.cookie)).toBe(true)

      const all = await cli('revoke', '--user', users.bob, '--json')
      expect(all.code).toBe(0)
      expect(JSON.parse(all.stdout)).toEqual({ user: users.bob, revoked: 1 })
      expect(await loggedIn(auth, bobs.cookie)).toBe(false)
      expect(await loggedIn(auth, safari.cookie)).toBe(true)
    })

    it('sweeps expired records in batches, and reports how many', async () => {
      const before = JSON.parse((await cli('stats', '--json')).stdout) as { live: number }
      const now = Date.now()
      const expiring = 2500
      // Alice's: her live session keeps her index, so the expired entries stay in
      // it (Redis expires a user's index only with its last entry). In chunks:
      // thousands of writes at once would outrun the store's command deadline.
      for (let chunk = 0; chunk < expiring; chunk += 250) {
        await Promise.all(
          Array.from({ length: 250 }, () =>
            backend.store.set(
              hashSessionId(newSessionId()),
              {
                data: {},
                userId: users.alice,
                createdAt: now,
                lastSeenAt: now,
                expiresAt: Date.now() + 1000,
              },
              1,
            ),
          ),
        )
      }
      await sleep(1500)
      const stats = JSON.parse((await cli('stats', '--json')).stdout) as {
        live: number
        expired: number
      }
      expect(stats.live).toBe(before.live)
      expect(stats.expired).toBe(target.keepsExpired ? expiring : 0)

      const swept = await cli('sweep', '--json')
      expect(swept.stderr).toBe('')
      expect(swept.code).toBe(0)
      expect(JSON.parse(swept.stdout)).toMatchObject({ store: backend.store.name, swept: expiring })
      const after = JSON.parse((await cli('stats', '--json')).stdout) as {
        live: number
        expired: number
      }
      expect(after).toMatchObject({ live: before.live, expired: 0 })
      expect(await loggedIn(auth, safari.cookie)).toBe(true)
      expect((await auth.listSessions(users.alice)).map((s) => s.reference)).toEqual([
        sessionReference(safari.key),
      ])

      const quiet = await cli('sweep')
      expect(quiet.code).toBe(0)
      // Not a terminal: no progress line.
      expect(quiet.stderr).toBe('')
      expect(quiet.stdout).toMatch(/^swept 0 expired entries from the \w+ store in [\d.]+s\n$/)
    })
  })
}
