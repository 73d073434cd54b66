import { markdownTable, number, times } from './report.js'

/**
 * One ratio target (or a reference's comparison) with the instructions per request behind it. `ratio` reads
 * like the req/s ratio it stands beside: the other contestant's instructions
 * over this one's (above 1: this one does less work per request).
 *
 * @typedef {object} InstructionRow
 * @property {string} contestant
 * @property {string} goal            e.g. "read: ≥ 0.75× fastify-bare", or "read: × hono-bare"
 * @property {number | undefined} own    main-thread instructions per request
 * @property {number | undefined} versus
 * @property {number | undefined} ratio      by the main thread
 * @property {number | undefined} ratioAll   by all threads
 */

/**
 * @param {Array<{ contestant: string, scenario: string, versus: string, atLeast?: number }>} targets
 *   ratio targets, and comparisons without a goal (`atLeast` omitted) for references
 * @param {Record<string, Record<string, { main: number, all: number }>>} counts
 * @returns {InstructionRow[]}
 */
export function instructionRows(targets, counts) {
  return targets.map(({ contestant, scenario, versus, atLeast }) => {
    const own = counts[contestant]?.[scenario]
    const other = counts[versus]?.[scenario]
    return {
      contestant,
      goal:
        atLeast === undefined ? `${scenario}: × ${versus}` : `${scenario}: ≥ ${atLeast}× ${versus}`,
      own: own?.main,
      versus: other?.main,
      ratio: own && other ? other.main / own.main : undefined,
      ratioAll: own && other ? other.all / own.all : undefined,
    }
  })
}

const count = (value) => (value === undefined ? '–' : number(value))

/**
 * The rows as Markdown, with the settings they were counted under.
 * @param {{ startedAt: string, settings: { warmup: number, requests: number, sessions: number },
 *   rows: InstructionRow[] }} report
 */
export function instructionTable({ startedAt, settings, rows }) {
  const header = [
    'target',
    'instr/req (main thread)',
    'versus, instr/req',
    '× by instructions (main)',
    '× (all threads)',
  ]
  const cells = rows.map((row) => [
    `${row.contestant} — ${row.goal}`,
    count(row.own),
    count(row.versus),
    times(row.ratio),
    times(row.ratioAll),
  ])
  const lines = [
    `Counted ${startedAt} with valgrind --tool=callgrind: ${settings.warmup} requests of warm-up, then ${settings.requests} counted, one at a time, rotating over ${settings.sessions} sessions. The targets are judged on req/s by \`npm run bench\`; these counts show the work behind them.`,
    '',
    ...markdownTable(header, cells),
  ]
  return `${lines.join('\n')}\n`
}
