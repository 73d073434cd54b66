import { latchkeyFastify } from './lib/apps.js'
import { CookieStore, generateKey } from 'latchkey/stores/cookie'
import { MemoryStore } from 'latchkey/stores/memory'
import Fastify from 'fastify'
const which = process.argv[2]
const store = which === 'cookie' ? new CookieStore({ keys: generateKey() }) : new MemoryStore()
const server = await latchkeyFastify(store)
// reach the fastify instance through a request listener: use http inject via light-my-request on the server's handler
const { default: inject } = await import('light-my-request')
const handler = server.listeners('request')[0]
const r0 = await inject(handler, { method: 'GET', url: '/new' })
const cookie = r0.headers['set-cookie'].split(';')[0]
const N = 30000
for (let i = 0; i < 5000; i++) await inject(handler, { method: 'GET', url: '/inc', headers: { cookie } })
const t = process.cpuUsage()
await Promise.all(Array.from({ length: 50 }, async (_, k) => { for (let i = k; i < N; i += 50) await inject(handler, { method: 'GET', url: '/inc', headers: { cookie } }) }))
const u = process.cpuUsage(t)
console.log(which, ((u.user + u.system) / N).toFixed(1), 'µs/inc (incl. inject)')
