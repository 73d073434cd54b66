export default defineEventHandler(async (event) => {
  // Locked read-modify-write: concurrent requests of one session cannot lose an increment.
  // (`await using s = await event.context.session.lock()` in TypeScript, where Node 20 has no `using` in JS.)
  const n = await event.context.session.withLock((s) => {
    const next = (s.get('n') ?? 0) + 1
    s.set('n', next)
    return next
  })
  return { n }
})
