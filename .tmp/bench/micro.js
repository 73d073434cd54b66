import { Sessions } from 'latchkey'
import { MemoryStore } from 'latchkey/stores/memory'
const sessions = new Sessions({ store: new MemoryStore(), warnLock: false })
const x = sessions.open({ cookie: undefined }); await x.withLock((l) => l.set('n', 1)); const cookie = (await x.commit())[0].split(';')[0]
for (const round of [1, 2, 3]) {
  const N = 200000
  let t = process.hrtime.bigint()
  for (let i = 0; i < N; i++) { const s = sessions.open({ cookie }); await s.get('n'); await s.commit() }
  const read = Number(process.hrtime.bigint() - t) / N / 1000
  t = process.hrtime.bigint()
  for (let i = 0; i < N; i++) { const s = sessions.open({ cookie }); await s.commit() }
  const untouched = Number(process.hrtime.bigint() - t) / N / 1000
  t = process.hrtime.bigint()
  for (let i = 0; i < N/4; i++) { const s = sessions.open({ cookie }); await s.withLock((l) => l.set('n', l.get('n') + 1)); await s.commit() }
  const inc = Number(process.hrtime.bigint() - t) / (N/4) / 1000
  console.log(`round ${round}: read ${read.toFixed(2)}µs, untouched ${untouched.toFixed(2)}µs, inc ${inc.toFixed(2)}µs`)
}
