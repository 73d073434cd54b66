// The Express baseline: express-bare is to Express what fastify-bare is to
// Fastify (same routes, the Cookie header parsed with `cookie`, counters in a
// Map keyed by the cookie's value, no session library).
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { parse, serialize } from 'cookie'
import express from 'express'
import { COOKIE } from '../lib/fairness.js'

const NAME = 'sid'

/** @type {import('../lib/contestants.js').Contestant} */
export default {
  name: 'express-bare',
  label: 'Express, no sessions (baseline)',
  async create() {
    const counters = new Map()
    const idOf = (req) => parse(req.headers.cookie ?? '')[NAME]
    const app = express()
    app.set('etag', false)

    app.get('/new', (_req, res) => {
      const id = randomBytes(32).toString('base64url')
      counters.set(id, 0)
      res.setHeader('set-cookie', serialize(NAME, id, COOKIE))
      res.json({ n: 0 })
    })
    app.get('/inc', (req, res) => {
      const id = idOf(req)
      if (id === undefined || !counters.has(id)) return res.json({ n: null })
      const n = counters.get(id) + 1
      counters.set(id, n)
      res.json({ n })
    })
    app.get('/read', (req, res) => {
      res.json({ n: counters.get(idOf(req)) ?? null })
    })

    return createServer(app)
  },
}
