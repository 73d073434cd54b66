import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import pg from 'pg'
import { describe, expect, it } from 'vitest'

// The bench is plain JavaScript: its modules are imported by URL and typed here
// by the parts the tests use.
interface Contestant {
  name: string
  baseline?: string
  peer?: string
  skip?: Record<string, string>
  targets?: Array<{ scenario: string; versus?: string }>
}
interface RunningService {
  env: { url: string }
  reset(): Promise<void>
  stop(): Promise<void>
}
const bench = (path: string) => new URL(`../${path}`, import.meta.url).href
const { contestantNames, loadContestant, runOrder } = (await import(
  bench('lib/contestants.js')
)) as {
  contestantNames(): Promise<string[]>
  loadContestant(name: string): Promise<Contestant>
  runOrder<T extends Contestant>(contestants: T[]): T[]
}
const { startServices } = (await import(bench('lib/services.js'))) as {
  startServices(names: string[]): Promise<{
    running: Map<string, RunningService>
    unavailable: Map<string, string>
  }>
}

const SCENARIOS = ['inc', 'hot', 'read']

describe('bench contestants', () => {
  it('every file loads, and its baseline, peer and targets name contestants that exist', async () => {
    const files = (await readdir(new URL('../contestants/', import.meta.url)))
      .filter((file) => file.endsWith('.js'))
      .map((file) => file.slice(0, -3))
    const names = await contestantNames()
    expect([...names].sort()).toEqual([...files].sort())
    for (const name of names) {
      const contestant = await loadContestant(name)
      const others = [
        contestant.baseline,
        contestant.peer,
        ...(contestant.targets ?? []).map((target) => target.versus),
      ].filter((other) => other !== undefined)
      for (const other of others) expect(names, `${name} refers to ${other}`).toContain(other)
      for (const scenario of Object.keys(contestant.skip ?? {}))
        expect(SCENARIOS, `${name} skips ${scenario}`).toContain(scenario)
      for (const target of contestant.targets ?? [])
        expect(contestant.skip?.[target.scenario], `${name} targets a skipped scenario`).toBe(
          undefined,
        )
    }
  }, 30_000)
})

describe('bench run order', () => {
  it('puts each baseline first, then each contestant with targets followed by what they name', () => {
    const contestants: Contestant[] = [
      { name: 'z-peer', baseline: 'b-bare' },
      { name: 'orphan', baseline: 'not-selected' },
      { name: 'b-lib', baseline: 'b-bare', targets: [{ scenario: 'inc', versus: 'z-peer' }] },
      { name: 'a-bare' },
      { name: 'c-other', baseline: 'b-bare' },
      { name: 'b-bare' },
      { name: 'a-lib', baseline: 'a-bare', targets: [{ scenario: 'read', versus: 'a-bare' }] },
    ]
    expect(runOrder(contestants).map((contestant) => contestant.name)).toEqual([
      'a-bare',
      'a-lib',
      'b-bare',
      'b-lib',
      'z-peer',
      'c-other',
      'orphan',
    ])
  })

  it('runs every real contestant with targets just after the baseline and next to the peers it is compared with', async () => {
    const names = await contestantNames()
    for (const name of names) {
      const contestant = await loadContestant(name)
      const at = names.indexOf(name)
      const baseline = contestant.baseline
      if (baseline !== undefined && contestant.targets?.some((t) => t.versus === baseline)) {
        const gap = at - names.indexOf(baseline)
        expect(gap, `${name} after ${baseline}`).toBeGreaterThan(0)
        // At most 5 contestants apart: about three minutes at the default duration.
        expect(gap, `${name} after ${baseline}`).toBeLessThanOrEqual(5)
      }
      for (const target of contestant.targets ?? []) {
        if (target.versus === undefined || target.versus === contestant.baseline) continue
        // Just after it, or just before when an earlier contestant named the same peer.
        const gap = Math.abs(names.indexOf(target.versus) - at)
        expect(gap, `${target.versus} next to ${name}`).toBeGreaterThan(0)
        expect(gap, `${target.versus} next to ${name}`).toBeLessThanOrEqual(2)
      }
    }
  }, 30_000)
})

const POSTGRES_BIN = process.env.LATCHKEY_PG_BIN ?? '/usr/lib/postgresql/15/bin'
const MISSING = `PostgreSQL 15 not found in ${POSTGRES_BIN}: apt-get install postgresql-15 to run the service test`
const postgres = ['initdb', 'postgres'].every((bin) => existsSync(join(POSTGRES_BIN, bin)))
// CI must never skip: there a missing server fails the test, with startServices' reason.
const describeWithPostgres =
  postgres || process.env.CI
    ? describe
    : (name: string, body: () => void) => {
        console.warn(`skipped "${name}": ${MISSING}`)
        describe.skip(name, body)
      }

describeWithPostgres('bench PostgreSQL service', () => {
  it('starts on a free port, empties the database on reset and stops', async () => {
    const { running, unavailable } = await startServices(['postgres'])
    expect([...unavailable.values()]).toEqual([])
    const service = running.get('postgres')
    if (!service) throw new Error('postgres did not start')
    try {
      const pool = new pg.Pool({ connectionString: service.env.url })
      // The server's shutdown may reach a client still closing; that is expected here.
      pool.on('error', () => {})
      try {
        await pool.query('CREATE TABLE leftover (n int)')
        await pool.query('INSERT INTO leftover VALUES (1)')
        await service.reset()
        const { rows } = await pool.query("SELECT to_regclass('public.leftover') AS t")
        expect(rows[0].t).toBe(null)
      } finally {
        await pool.end()
      }
    } finally {
      await service.stop()
    }
    await expect(
      new pg.Client({ connectionString: service.env.url, connectionTimeoutMillis: 1000 }).connect(),
    ).rejects.toThrow()
  }, 60_000)
})

const MARIADB_BIN = process.env.LATCHKEY_MARIADB_BIN ?? '/usr/sbin/mariadbd'
const MARIADB_INSTALL_DB = process.env.LATCHKEY_MARIADB_INSTALL_DB ?? '/usr/bin/mariadb-install-db'
const MISSING_MYSQL = `MariaDB not found (${MARIADB_BIN}, ${MARIADB_INSTALL_DB}): apt-get install mariadb-server to run the service test`
const mariadb = [MARIADB_BIN, MARIADB_INSTALL_DB].every((bin) => existsSync(bin))
const describeWithMySQL =
  mariadb || process.env.CI
    ? describe
    : (name: string, body: () => void) => {
        console.warn(`skipped "${name}": ${MISSING_MYSQL}`)
        describe.skip(name, body)
      }

describeWithMySQL('bench MySQL service', () => {
  it('starts on a free port, empties the database on reset and stops', async () => {
    const { running, unavailable } = await startServices(['mysql'])
    expect([...unavailable.values()]).toEqual([])
    const service = running.get('mysql')
    if (!service) throw new Error('mysql did not start')
    try {
      const pool = mysql.createPool({ uri: service.env.url, connectionLimit: 2 })
      try {
        await pool.query('CREATE TABLE leftover (n int)')
        await pool.query('INSERT INTO leftover VALUES (1)')
        await service.reset()
        const [rows] = await pool.query(
          "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'leftover'",
        )
        expect(rows).toEqual([{ n: 0 }])
        // The contestants' user can still create its table after the reset.
        await pool.query('CREATE TABLE fresh (n int)')
      } finally {
        await pool.end()
      }
    } finally {
      await service.stop()
    }
    await expect(
      mysql.createConnection({ uri: service.env.url, connectTimeout: 1000 }),
    ).rejects.toThrow()
  }, 60_000)
})
