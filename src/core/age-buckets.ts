import { AGE_BUCKETS, type AgeBucket } from './store.js'

/** Empty {@link AgeBucket}s, one per bound of {@link AGE_BUCKETS} and one for older sessions. */
export function emptyAgeBuckets(): AgeBucket[] {
  return [...AGE_BUCKETS, null].map((maxAgeSeconds) => ({ maxAgeSeconds, count: 0 }))
}

/** Index in {@link emptyAgeBuckets} of a session created `ageMs` milliseconds ago. */
export function ageBucketOf(ageMs: number): number {
  const index = AGE_BUCKETS.findIndex((bound) => ageMs < bound * 1000)
  return index === -1 ? AGE_BUCKETS.length : index
}
