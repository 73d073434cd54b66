import { emptyAgeBuckets } from '../../core/age-buckets.js'
import { AGE_BUCKETS, type StoreStats } from '../../core/store.js'

/** How a SQL dialect spells the values the stats statement needs, in milliseconds. */
export interface StatsDialect {
  /** The parameter that carries the current time, e.g. `?` or `$1::float8`. */
  now: string
  /** The creation time of a row, e.g. `created_at`. */
  createdAt: string
  /** The expiry of a row, e.g. `expires_at`. */
  expiresAt: string
}

const count = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`

/**
 * One statement that counts a session table in one pass: live, authenticated
 * and expired rows, and live rows per age bucket. Its only parameter is now.
 */
export function statsSql(table: string, dialect: StatsDialect): string {
  const live = `data IS NOT NULL AND ${dialect.expiresAt} > clock.now_ms`
  const age = `clock.now_ms - ${dialect.createdAt}`
  const bounds = [0, ...AGE_BUCKETS.map((bound) => bound * 1000)]
  // The first bucket has no lower bound: a clock behind the writer's gives negative ages.
  const buckets = bounds.map((low, i) => {
    const high = bounds[i + 1]
    const range = [i > 0 ? `${age} >= ${low}` : '', high === undefined ? '' : `${age} < ${high}`]
    return `${count([live, ...range.filter(Boolean)].join(' AND '))} AS age_${i}`
  })
  return `SELECT ${count(live)} AS live, ${count(`${live} AND user_id IS NOT NULL`)} AS authenticated,
  ${count(`${dialect.expiresAt} <= clock.now_ms`)} AS expired, ${buckets.join(', ')}
  FROM ${table} CROSS JOIN (SELECT ${dialect.now} AS now_ms) AS clock`
}

/** The row of {@link statsSql} as stats (drivers give sums as numbers, strings or null). */
export function statsOf(row: Record<string, unknown> | undefined): StoreStats {
  const number = (value: unknown) => Number(value ?? 0)
  const byAge = emptyAgeBuckets()
  byAge.forEach((bucket, i) => {
    bucket.count = number(row?.[`age_${i}`])
  })
  return {
    live: number(row?.live),
    authenticated: number(row?.authenticated),
    expired: number(row?.expired),
    byAge,
  }
}
