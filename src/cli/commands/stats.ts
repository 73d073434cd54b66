import { SessionUsageError } from '../../core/errors.js'
import type { SessionStore } from '../../core/store.js'
import { type Output, printJson, table } from '../output.js'

/** "< 1 hour", "≥ 30 days": a bucket's bound for people. */
function ageLabel(maxAgeSeconds: number | null, previous: number | undefined): string {
  const span = (seconds: number) =>
    seconds < 86_400
      ? `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`
      : `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`
  return maxAgeSeconds === null ? `≥ ${span(previous ?? 0)}` : `< ${span(maxAgeSeconds)}`
}

/** `sessions stats`: how many sessions the store holds, logged in or not, and how old. */
export async function stats(store: SessionStore, out: Output): Promise<void> {
  if (store.stats === undefined)
    throw new SessionUsageError(`the ${store.name} store cannot count its sessions`)
  const counted = await store.stats()
  if (out.json) {
    printJson(out, { store: store.name, ...counted })
    return
  }
  const rows = [
    ['live sessions', String(counted.live)],
    ['logged in', String(counted.authenticated)],
    ['expired, not yet swept', String(counted.expired)],
    ...counted.byAge.map((bucket, i) => [
      `  created ${ageLabel(bucket.maxAgeSeconds, counted.byAge[i - 1]?.maxAgeSeconds ?? undefined)} ago`,
      String(bucket.count),
    ]),
  ]
  out.stdout(table([`STORE ${store.name}`, 'COUNT'], rows))
}
