/** Every adapter checks its managers when the middleware is created, never on a request. */
import { describe, expect, it } from 'vitest'
import { latchkey as express } from '../../src/adapters/express/index.js'
import { latchkey as fastify } from '../../src/adapters/fastify/index.js'
import { latchkey as h3, latchkeyNitro } from '../../src/adapters/h3/index.js'
import { latchkey as hono } from '../../src/adapters/hono/index.js'
import { latchkey as koa } from '../../src/adapters/koa/index.js'
import { latchkey as sveltekit } from '../../src/adapters/sveltekit/index.js'
import { Sessions } from '../../src/index.js'
import { MemoryStore } from '../../src/stores/memory/index.js'

const adapters = { express, fastify, h3, latchkeyNitro, hono, koa, sveltekit } as Record<
  string,
  (...managers: unknown[]) => unknown
>

describe.each(Object.entries(adapters))('%s', (_name, latchkey) => {
  const store = new MemoryStore()
  it('needs a manager', () => {
    expect(() => latchkey()).toThrow(expect.objectContaining({ code: 'LATCHKEY_CONFIG' }))
    expect(() => latchkey({ store })).toThrow(expect.objectContaining({ code: 'LATCHKEY_CONFIG' }))
  })

  it('refuses two managers on one request property or one cookie', () => {
    const a = new Sessions({ store })
    const sameName = new Sessions({ store, cookie: { name: 'OTHER' } })
    const sameCookie = new Sessions({ store, name: 'cart' })
    expect(() => latchkey(a, sameName)).toThrow(/request property "session"/)
    expect(() => latchkey(a, sameCookie)).toThrow(/cookie "SESSION"/)
    expect(() =>
      latchkey(a, new Sessions({ store, name: 'cart', cookie: { name: 'CART' } })),
    ).not.toThrow()
  })
})
