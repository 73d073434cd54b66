// The session core without HTTP: what one request's session work costs in CPU,
// for a locked increment and an unlocked read over 1,000 sessions in MemoryStore.
// `npm run bench:core` from bench/ (after `npm ci` in the repository root, which builds dist/).
import { Sessions } from 'latchkey'
import { MemoryStore } from 'latchkey/stores/memory'

const OPERATIONS = Number(process.env.BENCH_OPERATIONS ?? 200_000)
const CONCURRENCY = 50
const sessions = new Sessions({ store: new MemoryStore(), warnLock: false })

const cookies = []
for (let i = 0; i < 1000; i++) {
  const session = sessions.open({ cookie: undefined })
  await session.withLock((s) => s.set('n', 0))
  const [setCookie] = await session.commit()
  cookies.push(setCookie.split(';')[0])
}

const scenarios = {
  async inc(cookie) {
    const session = sessions.open({ cookie })
    await session.withLock((s) => s.set('n', s.get('n') + 1))
    return session.commit()
  },
  async read(cookie) {
    const session = sessions.open({ cookie })
    await session.get('n')
    return session.commit()
  },
  async untouched(cookie) {
    return sessions.open({ cookie }).commit()
  },
}

for (const [name, run] of Object.entries(scenarios)) {
  for (let i = 0; i < 20_000; i++) await run(cookies[i % 1000]) // warm-up
  let next = 0
  const started = process.cpuUsage()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < OPERATIONS) await run(cookies[next++ % 1000])
    }),
  )
  const used = process.cpuUsage(started)
  const perOperation = (used.user + used.system) / OPERATIONS
  console.log(`${name.padEnd(10)} ${perOperation.toFixed(2)} µs CPU per request`)
}
