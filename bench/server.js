// One contestant's server, in its own process: `node bench/server.js <contestant> <port>`.
// The runner passes service connection details as JSON in BENCH_ENV and waits
// for the IPC message { type: 'ready' }; it may then ask for { type: 'cpu' }. SIGTERM closes it and exits, so that
// `node --cpu-prof` gets to write its profile.
import { loadContestant } from './lib/contestants.js'

const [name = '', portText = ''] = process.argv.slice(2)
const port = Number(portText)
if (!name || !Number.isInteger(port) || port < 1) {
  console.error('usage: node bench/server.js <contestant> <port>')
  process.exit(2)
}

const contestant = await loadContestant(name)
const server = await contestant.create(JSON.parse(process.env.BENCH_ENV ?? '{}'))
await new Promise((resolve, reject) => {
  server.once('error', reject)
  server.listen(port, '127.0.0.1', () => resolve(undefined))
})

const stop = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
// The runner asks for CPU time around each measured run (CPU per request is
// steadier than req/s on a machine shared with other work).
process.on('message', (message) => {
  if (message?.type === 'cpu') process.send?.({ type: 'cpu', usage: process.cpuUsage() })
})
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
process.send?.({ type: 'ready', port })
process.channel?.unref()
