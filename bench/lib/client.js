// Plain requests from the runner: creating sessions and reading counters.

/**
 * GETs `path`; returns the status, the JSON body and the `Cookie` header that
 * the response's Set-Cookie lines make.
 * @param {string} base
 * @param {string} path
 * @param {string} [cookie]
 */
export async function get(base, path, cookie) {
  const response = await fetch(`${base}${path}`, cookie ? { headers: { cookie } } : {})
  const text = await response.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  const pairs = response.headers.getSetCookie().map((line) => line.split(';')[0]?.trim() ?? '')
  return { status: response.status, body, cookie: pairs.filter(Boolean).join('; ') }
}

/**
 * Creates `count` sessions holding n = 0 through `GET /new`, a few at a time;
 * returns their Cookie headers.
 * @param {string} base
 * @param {number} count
 */
export async function createSessions(base, count, concurrency = 16) {
  const cookies = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      next++
      const reply = await get(base, '/new')
      if (reply.status !== 200 || !reply.cookie)
        throw new Error(`GET /new answered ${reply.status} with no session cookie`)
      cookies.push(reply.cookie)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return cookies
}

/**
 * The session's counter, once it stopped changing: requests a load run
 * abandoned may still be running on the server.
 * @param {string} base
 * @param {string} cookie
 */
export async function settledCounter(base, cookie, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  let previous = await counter(base, cookie)
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const current = await counter(base, cookie)
    if (current === previous) return current
    previous = current
  }
  throw new Error(`the counter kept changing for ${timeoutMs} ms`)
}

/** `n` as `GET /read` returns it for this session. */
export async function counter(base, cookie) {
  const reply = await get(base, '/read', cookie)
  const n = reply.body?.n
  if (reply.status !== 200 || typeof n !== 'number')
    throw new Error(`GET /read answered ${reply.status} ${JSON.stringify(reply.body)}`)
  return n
}
