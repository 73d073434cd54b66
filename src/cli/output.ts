/** Where a command writes, and how. */
export interface Output {
  stdout(text: string): void
  stderr(text: string): void
  /** Whether stderr is a terminal, where a progress line may redraw itself. */
  readonly interactive: boolean
  /** `--json`: one JSON document on stdout instead of text for people. */
  readonly json: boolean
}

/** Writes `value` as the command's one JSON document. */
export function printJson(out: Output, value: unknown): void {
  out.stdout(`${JSON.stringify(value, null, 2)}\n`)
}

/** A time for people: ISO 8601 in UTC, to the second. */
export function humanTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Rows under a header, columns padded to their widest cell. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')
  return `${[header, ...rows].map(line).join('\n')}\n`
}
