import { fork } from 'node:child_process'
import autocannon from 'autocannon'
const [fw, path, ...modes] = process.argv.slice(2)
const children = {}
for (const mode of modes) {
  const child = fork(new URL('./server.js', import.meta.url), [fw, mode])
  children[mode] = { child, port: await new Promise((r) => child.once('message', r)), cpu: 0, n: 0, rps: [] }
}
for (let round = 0; round < 4; round++) {
  for (const mode of modes) {
    const c = children[mode]
    const url = `http://127.0.0.1:${c.port}${path}`
    c.child.send('start')
    const out = await autocannon({ url, connections: 16, duration: 2 })
    c.child.send('stop')
    const { cpu } = await new Promise((r) => c.child.once('message', r))
    if (round > 0) { c.cpu += cpu; c.n += out.requests.total; c.rps.push(Math.round(out.requests.average)) }
  }
}
for (const mode of modes) { const c = children[mode]; console.log(`${fw} ${mode} ${path}: ${(c.cpu / c.n).toFixed(1)} µs CPU/req, req/s ${c.rps.join(' ')}`); c.child.kill() }
