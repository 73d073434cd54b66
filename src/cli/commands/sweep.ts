import { SessionUsageError } from '../../core/errors.js'
import type { SessionStore } from '../../core/store.js'
import { type Output, printJson } from '../output.js'

/** Redraws of the progress line at most this often, in milliseconds. */
const REDRAW_MS = 100

/**
 * A progress line on stderr, redrawn in place: only on a terminal, where
 * `\r` means something. The estimate is the store's count of expired records
 * before the sweep began.
 */
function progressLine(out: Output, estimate: number | undefined) {
  let drawnAt = 0
  const draw = (swept: number) =>
    out.stderr(`\rswept ${swept}${estimate === undefined ? '' : ` / ~${estimate}`}`)
  return {
    update(swept: number) {
      const now = Date.now()
      if (now - drawnAt < REDRAW_MS) return
      drawnAt = now
      draw(swept)
    },
    end(swept: number) {
      if (drawnAt === 0) return
      draw(swept)
      out.stderr('\n')
    },
  }
}

/** `sessions sweep`: deletes what has expired now, with progress on a terminal. */
export async function sweep(store: SessionStore, out: Output): Promise<void> {
  if (store.sweep === undefined)
    throw new SessionUsageError(`the ${store.name} store has nothing to sweep`)
  const started = Date.now()
  const showProgress = out.interactive && !out.json
  const expired = showProgress && store.stats ? (await store.stats()).expired : 0
  const progress = showProgress ? progressLine(out, expired > 0 ? expired : undefined) : undefined
  const swept = await store.sweep((total) => progress?.update(total))
  progress?.end(swept)
  const seconds = Math.round((Date.now() - started) / 100) / 10
  if (out.json) printJson(out, { store: store.name, swept, seconds })
  else
    out.stdout(
      `swept ${swept} expired entries from the ${store.name} store in ${seconds.toFixed(1)}s\n`,
    )
}
