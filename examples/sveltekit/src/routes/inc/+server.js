import { json } from '@sveltejs/kit'

export async function POST({ locals }) {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await locals.session.lock()` in TypeScript, where Node 20 has no `using` in JS.)
  const n = await locals.session.withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  return json({ n })
}
