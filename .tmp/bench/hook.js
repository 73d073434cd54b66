import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { beforeHeaders } from '../dist/adapters/express/before-headers.js'
const N = 100000
const socket = new Socket()
async function run(hook) {
  const t = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const req = new IncomingMessage(socket)
    const res = new ServerResponse(req)
    if (hook) beforeHeaders(res, async () => {}, () => ({ status: 500, headers: {}, body: '' }))
    res.setHeader('content-type', 'application/json')
    res.end('{"hello":1}')
    await null; await null; await null
  }
  return Number(process.hrtime.bigint() - t) / N / 1000
}
for (let r = 0; r < 4; r++) console.log(`bare ${(await run(false)).toFixed(2)}µs  hooked ${(await run(true)).toFixed(2)}µs`)
