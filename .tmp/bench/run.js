import { fork } from 'node:child_process'
import autocannon from 'autocannon'
const results = []
for (const fw of (process.env.FWS ?? 'express,hono,koa').split(',')) {
  for (const mode of (process.env.MODES ?? 'bare,core,latchkey').split(',')) {
    const child = fork(new URL('./server.js', import.meta.url), [fw, mode])
    const port = await new Promise((r) => child.once('message', r))
    const base = `http://127.0.0.1:${port}`
    let cookie = ''
    if (mode !== 'bare') {
      const r = await fetch(`${base.replace(/\d+$/, port)}/inc`, {}) 
      cookie = r.headers.getSetCookie()[0].split(';')[0]
    }
    for (const path of (process.env.PATHS ?? (mode === 'latchkey' ? '/read,/inc' : '/read')).split(',')) {
      await autocannon({ url: base + path, connections: 20, duration: 1, headers: cookie ? { cookie } : {} })
      child.send('start')
      const out = await autocannon({ url: base + path, connections: 20, duration: 4, headers: cookie ? { cookie } : {} })
      child.send('stop')
      const { cpu } = await new Promise((r) => child.once('message', r))
      const total = out.requests.total
      results.push(`${fw} ${mode} ${path}: ${Math.round(out.requests.average)} req/s, ${(cpu / total).toFixed(1)} µs CPU/req (non2xx ${out.non2xx})`)
      console.log(results.at(-1))
    }
    child.kill()
  }
}
